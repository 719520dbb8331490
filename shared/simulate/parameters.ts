import { SCALE_IN_MODELS, type ScaleInModel } from './scaling-rules.ts';

/** What a backtest models: the workers, the SLO and the walls capacity moves between. */
export interface BacklogParameters {
  /** Messages one worker handles per second. */
  readonly throughputPerWorker: number;
  /** Time from launching a worker to it taking work. */
  readonly startupMs: number;
  /** The acceptable latency: a message waiting longer is an SLO violation. */
  readonly sloMs: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /**
   * The backlog target tracking policy's scale-out cooldown (backlog-target-tracking and headroom-predictive, as
   * QueueScaledService configures it). Shorter than the start-up delay, scale-outs compound: the next one is
   * computed from a capacity whose tasks have not started yet.
   * @default 60 s (QueueScaledService's default)
   */
  readonly scaleOutCooldownMs?: number;
  /**
   * How target tracking's scale-in step is modelled: AWS does not publish it (scaling-rules.ts).
   * @default 'proportional'
   */
  readonly scaleInModel?: ScaleInModel;
}

export const DEFAULT_SCALE_OUT_COOLDOWN_MS = 60_000;

export const POLICY_NAMES = [
  'cpu-target-tracking',
  'queue-step-scaling',
  'backlog-target-tracking',
  'headroom-reactive',
  'headroom-predictive',
  'oracle',
] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

export class SimulationInputError extends RangeError {
  constructor(field: string, problem: string) {
    super(`${field} ${problem}`);
    this.name = 'SimulationInputError';
  }
}

export function validateParameters(parameters: BacklogParameters): void {
  const check = (field: keyof BacklogParameters, ok: boolean, expectation: string) => {
    if (!ok) throw new SimulationInputError(field, `must be ${expectation}, got ${parameters[field]}`);
  };
  check(
    'throughputPerWorker',
    parameters.throughputPerWorker > 0 && Number.isFinite(parameters.throughputPerWorker),
    'a positive number of messages per second',
  );
  check('startupMs', parameters.startupMs >= 0 && Number.isFinite(parameters.startupMs), 'a duration >= 0');
  check('sloMs', parameters.sloMs >= 60_000 && Number.isFinite(parameters.sloMs), 'at least one minute (the simulation steps by the minute)');
  check('minCapacity', Number.isInteger(parameters.minCapacity) && parameters.minCapacity >= 0, 'a whole number >= 0');
  check(
    'scaleOutCooldownMs',
    parameters.scaleOutCooldownMs === undefined || (parameters.scaleOutCooldownMs >= 0 && Number.isFinite(parameters.scaleOutCooldownMs)),
    'a duration >= 0',
  );
  check(
    'scaleInModel',
    parameters.scaleInModel === undefined || SCALE_IN_MODELS.includes(parameters.scaleInModel),
    `one of ${SCALE_IN_MODELS.join(', ')}`,
  );
  check(
    'maxCapacity',
    Number.isInteger(parameters.maxCapacity) && parameters.maxCapacity >= Math.max(1, parameters.minCapacity),
    'a whole number >= minCapacity and >= 1',
  );
}
