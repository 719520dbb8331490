import { type MathNode, MetricMathSyntaxError, parseMetricMath } from './parse.ts';

/**
 * Evaluates CloudWatch metric math over time series on one grid of timestamps (one query period), with missing data
 * as CloudWatch treats it (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html):
 * - a metric's missing datapoint is absent, not zero; arithmetic and comparison between time series yield a datapoint
 *   only where every operand has one (a scalar applies to every datapoint);
 * - FILL(m, value | REPEAT) fills a series' missing datapoints; IF(condition, trueValue[, falseValue]) takes its branch
 *   per datapoint, with no datapoint where the condition or the branch taken has none, or where the condition is false
 *   and falseValue is omitted;
 * - MAX/MIN/SUM/AVG of one series give a scalar over the whole range, of an array [a, b] a series, per timestamp;
 * - PERIOD(m) is the period in seconds.
 * Division by zero yields no datapoint (headroom's expressions guard their divisors; the page does not specify it).
 */
export type Series = readonly (number | undefined)[];
type Value = number | Series | readonly Series[];

export class MetricMathEvaluationError extends Error {
  override readonly name = 'MetricMathEvaluationError';
}

export interface MathInputs {
  /** The metrics' datapoints by id, all on the same grid (undefined = no datapoint at that timestamp). */
  readonly series: Readonly<Record<string, Series>>;
  /** The query period in seconds (PERIOD). */
  readonly periodSeconds: number;
}

const isSeries = (value: Value): value is Series => Array.isArray(value) && (value.length === 0 || !Array.isArray(value[0]));

function binary(op: string, a: number, b: number): number | undefined {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? undefined : a / b;
    case '^': {
      const result = a ** b;
      return Number.isFinite(result) ? result : undefined;
    }
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
    case '<':
      return a < b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
    case 'AND':
      return a !== 0 && b !== 0 ? 1 : 0;
    case 'OR':
      return a !== 0 || b !== 0 ? 1 : 0;
    default:
      throw new MetricMathEvaluationError(`unknown operator ${op}`);
  }
}

export function evaluateMetricMath(expression: string | MathNode, inputs: MathInputs): number | Series {
  const tree = typeof expression === 'string' ? parseMetricMath(expression) : expression;
  const length = Object.values(inputs.series)[0]?.length ?? 0;
  const pointwise = (values: readonly Value[], combine: (points: number[]) => number | undefined): Value => {
    if (values.every((value) => typeof value === 'number')) return combine(values as number[]) ?? Number.NaN;
    return Array.from({ length }, (_, index) => {
      const points = values.map((value) => (typeof value === 'number' ? value : (value as Series)[index]));
      return points.some((point) => point === undefined || Number.isNaN(point)) ? undefined : combine(points as number[]);
    });
  };
  const reduce = (name: string, points: number[]): number | undefined => {
    if (points.length === 0) return undefined;
    if (name === 'MAX') return Math.max(...points);
    if (name === 'MIN') return Math.min(...points);
    const sum = points.reduce((total, point) => total + point, 0);
    return name === 'SUM' ? sum : sum / points.length;
  };
  const asSeries = (value: Value, what: string): Series => {
    if (typeof value === 'number') return Array.from({ length }, () => value);
    if (!isSeries(value)) throw new MetricMathEvaluationError(`${what} must be a time series`);
    return value;
  };

  const visit = (node: MathNode): Value => {
    switch (node.kind) {
      case 'number':
        return node.value;
      case 'id': {
        const series = inputs.series[node.id];
        if (!series) throw new MetricMathEvaluationError(`no metric or expression with id "${node.id}"`);
        return series;
      }
      case 'keyword':
        throw new MetricMathEvaluationError(`${node.name} is only an argument of a function`);
      case 'array':
        return node.items.map((item) => asSeries(visit(item), 'an array item'));
      case 'unary': {
        const operand = visit(node.operand);
        if (!(typeof operand === 'number' || isSeries(operand))) throw new MetricMathEvaluationError(`${node.op} of an array`);
        return pointwise([operand], ([value]) => (node.op === '-' ? -value! : value === 0 ? 1 : 0));
      }
      case 'binary': {
        const left = visit(node.left);
        const right = visit(node.right);
        if (!(typeof left === 'number' || isSeries(left)) || !(typeof right === 'number' || isSeries(right)))
          throw new MetricMathEvaluationError(`"${node.op}" between arrays of time series`);
        return pointwise([left, right], ([a, b]) => binary(node.op, a!, b!));
      }
      case 'call':
        return call(node.name, node.args);
    }
  };

  const call = (name: string, args: readonly MathNode[]): Value => {
    switch (name) {
      case 'IF': {
        if (args.length < 2 || args.length > 3) throw new MetricMathEvaluationError('IF takes (condition, trueValue[, falseValue])');
        const [condition, whenTrue, whenFalse] = args.map(visit) as Value[];
        const at = (value: Value | undefined, index: number): number | undefined =>
          value === undefined ? undefined : typeof value === 'number' ? value : (value as Series)[index];
        if (typeof condition === 'number') {
          const taken = condition !== 0 ? whenTrue : whenFalse;
          if (taken === undefined) return Array.from({ length }, () => undefined);
          return taken;
        }
        return Array.from({ length }, (_, index) => {
          const test = at(condition, index);
          if (test === undefined) return undefined;
          return at(test !== 0 ? whenTrue : whenFalse, index);
        });
      }
      case 'FILL': {
        if (args.length !== 2) throw new MetricMathEvaluationError('FILL takes (series, value | REPEAT)');
        const series = asSeries(visit(args[0]!), 'FILL’s first argument');
        const how = args[1]!;
        if (how.kind === 'keyword' && how.name === 'REPEAT') {
          let last: number | undefined;
          const firstKnown = series.find((point) => point !== undefined);
          return series.map((point) => {
            if (point !== undefined) last = point;
            return last ?? firstKnown;
          });
        }
        const fill = visit(how);
        if (typeof fill !== 'number') throw new MetricMathEvaluationError('FILL’s value must be a number or REPEAT');
        return series.map((point) => point ?? fill);
      }
      case 'MAX':
      case 'MIN':
      case 'SUM':
      case 'AVG': {
        if (args.length !== 1) throw new MetricMathEvaluationError(`${name} takes one series or one array of series`);
        const value = visit(args[0]!);
        if (typeof value === 'number') return value;
        if (isSeries(value))
          return (
            reduce(
              name,
              value.filter((point): point is number => point !== undefined),
            ) ?? Number.NaN
          );
        return Array.from({ length }, (_, index) =>
          reduce(
            name,
            value.map((series) => series[index]).filter((point): point is number => point !== undefined),
          ),
        );
      }
      case 'ABS':
      case 'CEIL':
      case 'FLOOR': {
        const fn = name === 'ABS' ? Math.abs : name === 'CEIL' ? Math.ceil : Math.floor;
        const value = visit(args[0]!);
        if (!(typeof value === 'number' || isSeries(value))) throw new MetricMathEvaluationError(`${name} of an array`);
        return pointwise([value], ([point]) => fn(point!));
      }
      case 'PERIOD':
        return inputs.periodSeconds;
      default:
        throw new MetricMathSyntaxError(`function ${name} is not one this evaluator knows: add it as the CloudWatch page documents it`);
    }
  };

  const result = visit(tree);
  if (typeof result === 'number' || isSeries(result)) return result;
  throw new MetricMathEvaluationError('an expression must return one time series or a number');
}
