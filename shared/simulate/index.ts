export { arrivalsPerMinute, missingMinutes } from './arrivals.ts';
export {
  backtestArrivals,
  runBacktest,
  type BacktestOptions,
  type BacktestParameters,
  type BacktestResult,
  type PolicyScore,
  type PolicyTimeline,
} from './backtest.ts';
export { simulateLambdaConsumer, type LambdaConsumerParameters, type LambdaConsumerScore } from './lambda-consumer.ts';
export { oraclePlan, leastRunningWorkers } from './oracle.ts';
export { POLICY_NAMES, SimulationInputError, type BacklogParameters, type PolicyName } from './parameters.ts';
export type { ForecastBands } from './predictive-floors.ts';
export { SQS_METRIC_DELAY_MINUTES, type ReactiveOptions } from './policies.ts';
export { SCALE_IN_MODELS, type ScaleInModel } from './scaling-rules.ts';
export { simulateProvisionedTable, type ProvisionedTableParameters, type ProvisionedTableScore } from './provisioned-table.ts';
export { replayScaleInLoss, type ScaleInLoss, type ScaleInLossOptions } from './scale-in-loss.ts';
