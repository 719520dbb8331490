export { evaluateMetricMath, MetricMathEvaluationError, type MathInputs, type Series } from './evaluate.ts';
export { implicitPrecedence, type MathNode, MetricMathSyntaxError, parseMetricMath } from './parse.ts';
