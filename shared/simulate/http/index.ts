export {
  backtestRequests,
  oracleTasks,
  runHttpBacktest,
  type HttpBacktestOptions,
  type HttpBacktestResult,
  type HttpPolicyScore,
  type HttpTimeline,
} from './backtest.ts';
export { HttpServiceModel, type MinuteOutcome } from './minute-model.ts';
export { erlangC, responseTimes, type ResponseTimes } from '../../request-scaling/mmc.ts';
export { HTTP_POLICY_NAMES, validateHttpParameters, type HttpParameters, type HttpPolicyName } from './parameters.ts';
export { HTTP_DEFAULTS, type HttpPolicyOptions } from './policies.ts';
export { fleetSloRatePerTask } from '../../request-scaling/fleet-rate.ts';
export { describeRequiredTasks, fitRequiredTasks, requiredTasks, type RequiredTasksCurve } from '../../request-scaling/required-tasks.ts';
export { requestsPerMinute } from './request-rate.ts';
export { chooseTargetUtilization, TARGET_CANDIDATES, type TargetScore, type TargetTuning } from './target-tuning.ts';
