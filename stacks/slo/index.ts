export { SloBurnRateAlarms, type BurnRateAlarmPair, type SloBurnRateAlarmsProps } from './slo-burn-rate-alarms.ts';
export {
  albErrorIndicator,
  albLatencyIndicator,
  latencyIndicator,
  messageWaitIndicator,
  ratioIndicator,
  type ServiceLevelIndicator,
} from './service-level-indicator.ts';
