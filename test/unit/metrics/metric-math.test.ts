import { describe, expect, it } from 'vitest';
import { evaluateMetricMath, implicitPrecedence, MetricMathSyntaxError, parseMetricMath } from '../../../shared/metrics/math/index.ts';

const _ = undefined;
const at = (series: Record<string, (number | undefined)[]>, periodSeconds = 60) => ({ series, periodSeconds });

describe('metric math evaluated as CloudWatch documents it', () => {
  it('applies arithmetic per timestamp, a scalar to every datapoint', () => {
    expect(evaluateMetricMath('(a + b) * 2', at({ a: [1, 2], b: [10, 20] }))).toEqual([22, 44]);
  });

  it('gives no datapoint where an operand of a time-series operation has none: a missing count is not zero', () => {
    expect(evaluateMetricMath('a / b', at({ a: [1, _, 3], b: [1, 1, _] }))).toEqual([1, _, _]);
  });

  it('FILL fills missing datapoints with a value, or REPEATs the last one', () => {
    expect(evaluateMetricMath('FILL(a, 0) + 1', at({ a: [_, 2, _] }))).toEqual([1, 3, 1]);
    expect(evaluateMetricMath('FILL(a, REPEAT)', at({ a: [_, 2, _, 5] }))).toEqual([2, 2, 2, 5]);
  });

  it('IF takes its branch per datapoint; no datapoint where the condition is missing or false without a falseValue', () => {
    expect(evaluateMetricMath('IF(a > 1, a, 1)', at({ a: [0, 3, _] }))).toEqual([1, 3, _]);
    expect(evaluateMetricMath('IF(a > 1, a)', at({ a: [0, 3] }))).toEqual([_, 3]);
  });

  it('MAX of an array of series is per timestamp, of one series a scalar', () => {
    expect(evaluateMetricMath('MAX([a, b, 1])', at({ a: [0, 5, _], b: [2, 1, 0.5] }))).toEqual([2, 5, 1]);
    expect(evaluateMetricMath('MAX(a)', at({ a: [1, 7, _] }))).toBe(7);
  });

  it('computes comparisons and logic as 1 and 0, and PERIOD in seconds', () => {
    expect(evaluateMetricMath('IF((a == 0) AND (b > 0), 1, 0)', at({ a: [0, 0, 1], b: [1, 0, 1] }))).toEqual([1, 0, 0]);
    expect(evaluateMetricMath('a / PERIOD(a)', at({ a: [120] }, 60))).toEqual([2]);
  });

  it('raises to a power with ^ and refuses functions it does not know rather than guess', () => {
    expect(evaluateMetricMath('(a ^ 0.5)', at({ a: [9, 16] }))).toEqual([3, 4]);
    expect(() => evaluateMetricMath('SQRTX(a)', at({ a: [1] }))).toThrow(MetricMathSyntaxError);
  });
});

describe('precedence the CloudWatch page does not state', () => {
  it('flags ^ next to another operator without parentheses', () => {
    expect(implicitPrecedence(parseMetricMath('0.5 * (requests / 3) ^ 0.5'))).toEqual(['"^" inside "*" without parentheses']);
    expect(implicitPrecedence(parseMetricMath('0.5 * ((requests / 3) ^ 0.5)'))).toEqual([]);
  });

  it('flags a comparison inside AND/OR without parentheses', () => {
    expect(implicitPrecedence(parseMetricMath('IF(desired == 0 AND (visible + inFlight) > 0, 1, 0)'))).toHaveLength(2);
    expect(implicitPrecedence(parseMetricMath('IF((desired == 0) AND ((visible + inFlight) > 0), 1, 0)'))).toEqual([]);
  });
});
