export { NativePredictiveScaling, type NativePredictiveScalingProps } from './native-predictive-scaling.ts';
export {
  MANAGED_TAG_KEY,
  PredictiveScaling,
  PredictorMode,
  type PredictiveEvent,
  type PredictiveScalingProps,
  type PredictiveTargetOptions,
} from './predictive-scaling.ts';
