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
export { simulateProvisionedTable, type ProvisionedTableParameters, type ProvisionedTableScore } from './provisioned-table.ts';
