/**
 * A parser of CloudWatch metric-math expressions
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html): numbers, metric ids,
 * arithmetic (+ - * / ^), comparison (== != < <= > >=) and logical (AND && OR || NOT) operators, function calls and
 * arrays of time series ([a, b]). Where the page does not state an operator's precedence (`^` against the others,
 * comparisons inside AND/OR), `requireExplicitPrecedence` reports expressions that depend on it.
 */
export type MathNode =
  | { readonly kind: 'number'; readonly value: number; readonly parenthesized: boolean }
  | { readonly kind: 'id'; readonly id: string; readonly parenthesized: boolean }
  | { readonly kind: 'keyword'; readonly name: string; readonly parenthesized: boolean }
  | { readonly kind: 'unary'; readonly op: '-' | 'NOT'; readonly operand: MathNode; readonly parenthesized: boolean }
  | { readonly kind: 'binary'; readonly op: string; readonly left: MathNode; readonly right: MathNode; readonly parenthesized: boolean }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly MathNode[]; readonly parenthesized: boolean }
  | { readonly kind: 'array'; readonly items: readonly MathNode[]; readonly parenthesized: boolean };

export class MetricMathSyntaxError extends Error {
  override readonly name = 'MetricMathSyntaxError';
}

const TOKEN = /\s*(?:(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|<=|>=|&&|\|\||[-+*/^<>(),[\]]))/y;

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expression.length) {
    if (/^\s*$/.test(expression.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(expression);
    if (!match) throw new MetricMathSyntaxError(`unexpected character at ${at} in "${expression}"`);
    tokens.push(match[1] ?? match[2] ?? match[3]!);
  }
  return tokens;
}

// Lowest to highest. Arithmetic as in mathematics; `^` binds tighter than unary minus's operand and is right-associative.
const LEVELS: readonly (readonly string[])[] = [
  ['OR', '||'],
  ['AND', '&&'],
  ['==', '!=', '<', '<=', '>', '>='],
  ['+', '-'],
  ['*', '/'],
];

export function parseMetricMath(expression: string): MathNode {
  const tokens = tokenize(expression);
  let position = 0;
  const peek = (): string | undefined => tokens[position];
  const take = (expected?: string): string => {
    const token = tokens[position];
    if (token === undefined || (expected !== undefined && token.toUpperCase() !== expected))
      throw new MetricMathSyntaxError(`expected ${expected ?? 'a token'} at token ${position} of "${expression}", got ${token ?? 'the end'}`);
    position += 1;
    return token;
  };
  const isOp = (token: string | undefined, ops: readonly string[]): boolean => token !== undefined && ops.includes(token.toUpperCase());

  const level = (index: number): MathNode => {
    if (index === LEVELS.length) return unary();
    let left = level(index + 1);
    while (isOp(peek(), LEVELS[index]!)) {
      const op = take().toUpperCase();
      const right = level(index + 1);
      left = { kind: 'binary', op: op === '&&' ? 'AND' : op === '||' ? 'OR' : op, left, right, parenthesized: false };
    }
    return left;
  };
  const unary = (): MathNode => {
    if (peek() === '-') {
      take();
      return { kind: 'unary', op: '-', operand: unary(), parenthesized: false };
    }
    if (peek()?.toUpperCase() === 'NOT') {
      take();
      return { kind: 'unary', op: 'NOT', operand: unary(), parenthesized: false };
    }
    return power();
  };
  const power = (): MathNode => {
    const base = primary();
    if (peek() !== '^') return base;
    take();
    return { kind: 'binary', op: '^', left: base, right: unary(), parenthesized: false };
  };
  const list = (close: string): MathNode[] => {
    const items: MathNode[] = [];
    if (peek() === close) {
      take(close);
      return items;
    }
    for (;;) {
      items.push(level(0));
      if (peek() === ',') take(',');
      else break;
    }
    take(close);
    return items;
  };
  const primary = (): MathNode => {
    const token = take();
    if (token === '(') {
      const inner = level(0);
      take(')');
      return { ...inner, parenthesized: true };
    }
    if (token === '[') return { kind: 'array', items: list(']'), parenthesized: false };
    if (/^\d/.test(token)) return { kind: 'number', value: Number(token), parenthesized: false };
    if (/^[A-Za-z_]/.test(token)) {
      if (peek() === '(') {
        take('(');
        return { kind: 'call', name: token.toUpperCase(), args: list(')'), parenthesized: false };
      }
      // Function keywords (FILL's REPEAT, LINEAR) are upper case; metric ids start with a lower-case letter.
      if (/^[A-Z_]+$/.test(token)) return { kind: 'keyword', name: token, parenthesized: false };
      return { kind: 'id', id: token, parenthesized: false };
    }
    throw new MetricMathSyntaxError(`unexpected "${token}" in "${expression}"`);
  };

  const tree = level(0);
  if (position !== tokens.length) throw new MetricMathSyntaxError(`unexpected "${tokens[position]}" in "${expression}"`);
  return tree;
}

const COMPARISONS = ['==', '!=', '<', '<=', '>', '>='];

/**
 * Where an expression relies on a precedence the CloudWatch page does not state: `^` next to another binary operator,
 * or a comparison inside AND/OR, without parentheses. Returns the offending parts (empty when all is explicit).
 */
export function implicitPrecedence(node: MathNode): string[] {
  const found: string[] = [];
  const visit = (current: MathNode, parent?: MathNode): void => {
    if (current.kind === 'binary' && !current.parenthesized && parent?.kind === 'binary') {
      if (current.op === '^' || parent.op === '^') found.push(`"${current.op}" inside "${parent.op}" without parentheses`);
      else if (COMPARISONS.includes(current.op) && (parent.op === 'AND' || parent.op === 'OR'))
        found.push(`comparison "${current.op}" inside "${parent.op}" without parentheses`);
    }
    if (current.kind === 'binary') {
      visit(current.left, current);
      visit(current.right, current);
    } else if (current.kind === 'unary') visit(current.operand, current);
    else if (current.kind === 'call') for (const arg of current.args) visit(arg);
    else if (current.kind === 'array') for (const item of current.items) visit(item);
  };
  visit(node);
  return found;
}
