/**
 * An operator's day, played hour by hour against moto: the predictor runs every hour, Application Auto Scaling
 * fires scheduled actions on its own clock (also while a run reads targets one after another), the user changes
 * the target between runs, and faults are drawn from a seed at every run. What moto lacks is emulated here, as
 * SDK middleware on the predictor's own clients (never a mock of our code):
 * - firing scheduled actions: moto stores them and never runs them; the world lists them and sets MinCapacity
 *   with RegisterScalableTarget at each run time, on AAS's clock (an `at()` whose time passed before it was put
 *   never fires: the conservative reading, AWS documents no catch-up);
 * - the 200-actions-per-target quota (LimitExceededException on a put that would pass it);
 * - 50-per-page DescribeScheduledActions listings (moto does not page);
 * - deregistering a target deletes its scheduled actions (AWS does; moto keeps them).
 * The invariants (test/support side, independent of the predictor's own statement of them) are checked at every
 * fired action and in a forward projection after every run. Used by the CI test and the bench.
 */
import {
  ApplicationAutoScalingClient,
  DeleteScheduledActionCommand,
  DeregisterScalableTargetCommand,
  DescribeScalableTargetsCommand,
  DescribeScheduledActionsCommand,
  LimitExceededException,
  PutScheduledActionCommand,
  RegisterScalableTargetCommand,
  type ScheduledAction,
} from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient, CloudWatchServiceException } from '@aws-sdk/client-cloudwatch';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { seedMetricHistory } from '../../cli/demo/seed-history.ts';
import { PREDICTOR_MAX_ATTEMPTS, QuotaAwareRetryStrategy } from '../../functions/predictor/retry-strategy.ts';
import { runPredictor } from '../../functions/predictor/run-predictor.ts';
import { parsePredictorConfig } from '../../shared/predictor/config.ts';
import { runTimes } from '../../shared/predictor/schedule-expression.ts';
import { syntheticLoad } from '../../shared/synthetic-load/synthetic-load.ts';
import { awsFault, type FaultKind } from './fault-injection.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const QUOTA = 200;
const PAGE = 50;
const FLOOR = 2;
const MAX = 40;
const HISTORY_DAYS = 8;
const NAMESPACE = 'HeadroomWorldTest';
const DIMENSION = 'ecs:service:DesiredCount' as const;
const OWN = /^headroom-.*(raise|restore)-/;
const START = Date.UTC(2026, 10, 16, 0, 20);

export interface WorldOptions {
  readonly seed: number;
  /** Hourly runs played. */
  readonly runs: number;
  /** Chance of a fault at each Application Auto Scaling call. */
  readonly callFaultRate?: number;
  /** Print each violation as it is found. */
  readonly verbose?: boolean;
}

export interface WorldReport {
  readonly seed: number;
  readonly runs: number;
  readonly targetRuns: number;
  readonly firedActions: number;
  readonly faults: Record<string, number>;
  readonly userChanges: Record<string, number>;
  readonly violations: string[];
  /** Violations by kind (the text before the first colon). */
  readonly byKind: Record<string, number>;
  /** Own actions that fired below a wall the user set after the last run that could write (no run saw it). */
  readonly unseenChanges: number;
  readonly failedTargetRuns: number;
}

/** Mulberry32: a small seeded generator, so a seed replays the same world. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
  };
}

interface UserAction {
  readonly name: string;
  readonly schedule: string;
  readonly minCapacity: number;
}

interface TargetWorld {
  readonly workload: string;
  readonly resourceId: string;
  userMin: number;
  userMax: number;
  /** When the user last registered the target (CloudFormation deploy): MinCapacity is userMin from then on. */
  userSetAt: number;
  userActions: UserAction[];
  registered: boolean;
  /** Own actions as they stood after the last run that read the user's current walls and finished. */
  seenAfterChange: Map<string, number>;
  /** The last value-setting event on the target was an own raise (so MinCapacity above the wall is ours). */
  lastSetByOwnRaise: boolean;
}

const key = (resourceId: string) => ({ ServiceNamespace: 'ecs' as const, ResourceId: resourceId, ScalableDimension: DIMENSION });
const atOf = (schedule: string) => {
  const match = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(schedule);
  return match ? Date.parse(`${match[1]}Z`) : undefined;
};
const kindOf = (name: string) => OWN.exec(name)?.[1] as 'raise' | 'restore' | undefined;

const BUSINESS = [
  { name: 'user-business-start', schedule: 'cron(0 8 * * ? *)', minCapacity: 10 },
  { name: 'user-business-end', schedule: 'cron(0 18 * * ? *)', minCapacity: FLOOR },
];
const farFuture = (count: number, from = 0): UserAction[] =>
  Array.from({ length: count }, (_, i) => ({
    name: `user-2099-${from + i}`,
    schedule: `at(2099-01-${String(1 + ((from + i) % 28)).padStart(2, '0')}T${String((from + i) % 24).padStart(2, '0')}:${String((from + i) % 60).padStart(2, '0')}:00)`,
    minCapacity: FLOOR,
  }));

export class PredictorWorld {
  private readonly raw = new ApplicationAutoScalingClient({});
  private readonly rng;
  private readonly targets: TargetWorld[] = [];
  /** AAS's clock: every action due up to it has fired. */
  private clock = START;
  /** When each action was last put, on AAS's clock: an `at()` already past then never fires. */
  private readonly putAt = new Map<string, number>();
  private readonly violations: string[] = [];
  private readonly faults: Record<string, number> = {};
  private readonly changes: Record<string, number> = {};
  private fired = 0;
  private unseen = 0;
  private failedTargetRuns = 0;
  private targetRuns = 0;

  constructor(private readonly options: WorldOptions) {
    this.rng = random(options.seed * 7919 + 13);
  }

  private count(bag: Record<string, number>, kind: string) {
    bag[kind] = (bag[kind] ?? 0) + 1;
  }

  private violation(text: string) {
    this.violations.push(text);
    if (this.options.verbose) console.info(`seed ${this.options.seed}: ${text}`);
  }

  /** The MinCapacity the user set, as it is at `atMs`: their registration or their latest scheduled action since. */
  private wall(target: TargetWorld, atMs: number): number {
    let value = target.userMin;
    let latest = target.userSetAt;
    for (const action of target.userActions) {
      const times = runTimes({ schedule: action.schedule });
      if (!times.evaluable) continue;
      const last = times.between(target.userSetAt, atMs + 1).at(-1);
      if (last !== undefined && last >= latest) {
        latest = last;
        value = action.minCapacity;
      }
    }
    return value;
  }

  private async all(resourceId: string): Promise<ScheduledAction[]> {
    const answer = await this.raw.send(new DescribeScheduledActionsCommand(key(resourceId)));
    return answer.ScheduledActions ?? [];
  }

  private async held(resourceId: string): Promise<{ min: number; max: number } | undefined> {
    const answer = await this.raw.send(
      new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [resourceId], ScalableDimension: DIMENSION }),
    );
    const target = answer.ScalableTargets?.[0];
    return target && { min: target.MinCapacity!, max: target.MaxCapacity! };
  }

  /** Fires every action due in (clock, untilMs], in time order, as Application Auto Scaling would. */
  async advance(untilMs: number): Promise<void> {
    if (untilMs <= this.clock) return;
    for (const target of this.targets) {
      if (!target.registered) continue;
      const events: { atMs: number; action: ScheduledAction }[] = [];
      for (const action of await this.all(target.resourceId)) {
        const name = action.ScheduledActionName!;
        const at = atOf(action.Schedule!);
        if (at !== undefined) {
          if (at > this.clock && at <= untilMs && at >= (this.putAt.get(`${target.resourceId}|${name}`) ?? -Infinity))
            events.push({ atMs: at, action });
          continue;
        }
        const times = runTimes({ schedule: action.Schedule!, timezone: action.Timezone });
        if (times.evaluable) for (const atMs of times.between(this.clock + 1, untilMs + 1)) events.push({ atMs, action });
      }
      // Within a minute, the user's first and ours last: the worse order for our restores.
      events.sort((a, b) => a.atMs - b.atMs || Number(OWN.test(a.action.ScheduledActionName!)) - Number(OWN.test(b.action.ScheduledActionName!)));
      for (const { atMs, action } of events) {
        const value = action.ScalableTargetAction?.MinCapacity;
        if (value === undefined) continue;
        const name = action.ScheduledActionName!;
        const current = await this.held(target.resourceId);
        if (!current) break;
        await this.raw.send(
          new RegisterScalableTargetCommand({ ...key(target.resourceId), MinCapacity: value, MaxCapacity: Math.max(value, current.max) }),
        );
        const kind = kindOf(name);
        target.lastSetByOwnRaise = kind === 'raise';
        if (!kind) continue;
        this.fired++;
        const wall = this.wall(target, atMs);
        const when = new Date(atMs).toISOString();
        if (value > target.userMax) this.violation(`above MaxCapacity: ${name} set ${value} over the user's ${target.userMax} at ${when}`);
        if (value < wall) {
          if (target.seenAfterChange.get(name) === value) this.violation(`below the wall: ${name} set ${value} under the user's ${wall} at ${when}`);
          else this.unseen++;
        }
      }
    }
    this.clock = untilMs;
  }

  /** The predictor's clients, wired to the world: AAS fires while targets are read, quota, paging, faults. */
  private clients(plan: RunPlan) {
    const scaling = new ApplicationAutoScalingClient({ retryStrategy: new QuotaAwareRetryStrategy(PREDICTOR_MAX_ATTEMPTS) });
    const cloudwatch = new CloudWatchClient({ maxAttempts: PREDICTOR_MAX_ATTEMPTS });
    let reads = 0;
    scaling.middlewareStack.addRelativeTo(
      // biome-ignore lint/suspicious/noExplicitAny: every command passes through
      (next: (args: any) => Promise<any>, context: { commandName?: string }) => async (args: any) => {
        const input = args.input as { ResourceId?: string; ResourceIds?: string[]; ScheduledActionName?: string; NextToken?: string };
        const resourceId = input.ResourceId ?? input.ResourceIds?.[0];
        const target = this.targets.find((candidate) => candidate.resourceId === resourceId);
        if (context.commandName === 'DescribeScalableTargetsCommand') {
          // Targets are read one after another, minutes after the run's `now`: AAS keeps firing meanwhile.
          reads++;
          await this.advance(plan.worldStart + reads * plan.readLagMs);
        }
        if (target && plan.deregister === target.resourceId && context.commandName === 'DescribeScheduledActionsCommand' && target.registered) {
          this.count(this.faults, 'target deregistered mid-run');
          await this.deregister(target);
        }
        if (plan.callFaultRate > 0 && this.rng.chance(plan.callFaultRate)) {
          const kind = this.rng.pick<FaultKind>(['throttling', 'server-error', 'timeout', 'limit-exceeded', 'concurrent-update']);
          this.count(this.faults, kind);
          throw awsFault(kind);
        }
        if (context.commandName === 'PutScheduledActionCommand' && target) {
          const actions = await this.all(target.resourceId);
          if (!actions.some((action) => action.ScheduledActionName === input.ScheduledActionName) && actions.length >= QUOTA) {
            // The run read the count before writing and nothing else writes meanwhile: the predictor's own doing.
            this.violation(`over the quota: a put on ${target.workload} would pass ${QUOTA} actions at ${new Date(this.clock).toISOString()}`);
            throw new LimitExceededException({
              $metadata: { httpStatusCode: 400 },
              message: 'You have reached the maximum number of scheduled actions',
            });
          }
          if (!target.registered) throw awsFault('target-not-found');
          this.putAt.set(`${target.resourceId}|${input.ScheduledActionName}`, this.clock);
        }
        if (context.commandName === 'DescribeScheduledActionsCommand') {
          // AWS pages at 50; moto returns everything.
          const offset = input.NextToken ? Number(input.NextToken.replace('world-', '')) : 0;
          const result = await next({ ...args, input: { ...input, NextToken: undefined } });
          const list = result.output.ScheduledActions ?? [];
          result.output.ScheduledActions = list.slice(offset, offset + PAGE);
          result.output.NextToken = offset + PAGE < list.length ? `world-${offset + PAGE}` : undefined;
          return result;
        }
        return next(args);
      },
      { relation: 'after', toMiddleware: 'retryMiddleware', name: 'world-aas' },
    );
    cloudwatch.middlewareStack.addRelativeTo(
      // biome-ignore lint/suspicious/noExplicitAny: every command passes through
      (next: (args: any) => Promise<any>, context: { commandName?: string }) => async (args: any) => {
        if (context.commandName === 'PutMetricDataCommand' && plan.putMetricDataFails) {
          throw new CloudWatchServiceException({
            name: 'Throttling',
            $fault: 'client',
            $metadata: { httpStatusCode: 400 },
            message: 'Rate exceeded',
          });
        }
        if (context.commandName !== 'GetMetricDataCommand') return next(args);
        if (plan.getMetricDataThrottled > 0) {
          plan.getMetricDataThrottled--;
          throw new CloudWatchServiceException({
            name: 'Throttling',
            $fault: 'client',
            $metadata: { httpStatusCode: 400 },
            message: 'Rate exceeded',
          });
        }
        const token = args.input.NextToken as string | undefined;
        const result = await next({ ...args, input: { ...args.input, NextToken: undefined } });
        // biome-ignore lint/suspicious/noExplicitAny: the deserialized output
        const results = result.output.MetricDataResults as any[];
        for (const series of results) {
          const damaged = plan.damage.find((damage) => series.Id.startsWith(`t${damage.index}m`));
          if (damaged && series.Values.length > 0) {
            const at = series.Values.length - 1 - this.rng.int(0, 23);
            series.Values[at] = damaged.value;
          }
          if (plan.partialData && series.Id === 't0m0') series.StatusCode = 'PartialData';
        }
        if (plan.pages) {
          // Two pages: each result's first half, then the rest.
          const second = token === 'world-page-2';
          for (const series of results) {
            const half = Math.ceil(series.Values.length / 2);
            series.Values = second ? series.Values.slice(half) : series.Values.slice(0, half);
            series.Timestamps = second ? series.Timestamps.slice(half) : series.Timestamps.slice(0, half);
          }
          result.output.NextToken = second ? undefined : 'world-page-2';
        }
        return result;
      },
      { relation: 'after', toMiddleware: 'retryMiddleware', name: 'world-cloudwatch' },
    );
    return { scaling, cloudwatch };
  }

  private async deregister(target: TargetWorld) {
    for (const action of await this.all(target.resourceId))
      await this.raw.send(new DeleteScheduledActionCommand({ ...key(target.resourceId), ScheduledActionName: action.ScheduledActionName }));
    await this.raw.send(new DeregisterScalableTargetCommand(key(target.resourceId)));
    target.registered = false;
  }

  /** CloudFormation's deploy: registers MinCapacity/MaxCapacity from the template and the user's own actions. */
  private async deploy(target: TargetWorld, atMs: number) {
    await this.raw.send(new RegisterScalableTargetCommand({ ...key(target.resourceId), MinCapacity: target.userMin, MaxCapacity: target.userMax }));
    const existing = new Set((await this.all(target.resourceId)).map((action) => action.ScheduledActionName));
    for (const action of [...target.userActions]) {
      if (existing.has(action.name)) continue;
      if (existing.size >= QUOTA) {
        // AWS refuses the user's put too: that action of theirs does not exist.
        target.userActions.splice(target.userActions.indexOf(action), 1);
        continue;
      }
      existing.add(action.name);
      await this.raw.send(
        new PutScheduledActionCommand({
          ...key(target.resourceId),
          ScheduledActionName: action.name,
          Schedule: action.schedule,
          ScalableTargetAction: { MinCapacity: action.minCapacity },
        }),
      );
      this.putAt.set(`${target.resourceId}|${action.name}`, atMs);
    }
    target.userSetAt = atMs;
    target.registered = true;
    target.lastSetByOwnRaise = false;
  }

  async setUp(): Promise<void> {
    const ecs = new ECSClient({});
    const cloudwatch = new CloudWatchClient({});
    const id = `${this.options.seed}-${Math.random().toString(36).slice(2, 8)}`;
    const cluster = `world-${id}`;
    await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
    const { taskDefinition } = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: cluster,
        networkMode: 'bridge',
        containerDefinitions: [{ name: 'w', image: 'busybox', memory: 128 }],
      }),
    );
    const shapes: UserAction[][] = [[], BUSINESS, [...BUSINESS, ...farFuture(185)]];
    const historyStart = Math.floor(START / HOUR) * HOUR - HISTORY_DAYS * DAY;
    const days = HISTORY_DAYS + Math.ceil(this.options.runs / 24) + 2;
    for (const [index, userActions] of shapes.entries()) {
      const workload = `w${index}-${id}`;
      await ecs.send(
        new CreateServiceCommand({
          cluster,
          serviceName: workload,
          taskDefinition: taskDefinition!.taskDefinitionArn,
          desiredCount: FLOOR,
          launchType: 'EC2',
        }),
      );
      const target: TargetWorld = {
        workload,
        resourceId: `service/${cluster}/${workload}`,
        userMin: FLOOR,
        userMax: MAX,
        userSetAt: -Infinity,
        userActions: [...userActions],
        registered: false,
        seenAfterChange: new Map(),
        lastSetByOwnRaise: false,
      };
      this.targets.push(target);
      await this.deploy(target, START - DAY);
      const load = syntheticLoad({ startMs: historyStart, stepMs: HOUR, days, meanRate: 14 + 4 * index, seed: this.options.seed + index });
      await seedMetricHistory(cloudwatch, { namespace: NAMESPACE, metricName: 'Arrivals', dimensions: [{ Name: 'Queue', Value: workload }] }, load);
    }
  }

  private config() {
    return parsePredictorConfig(
      JSON.stringify({
        mode: 'forecastAndScale',
        // moto reads long histories slowly: a week is enough for the daily cycle the world's load follows.
        historyDays: HISTORY_DAYS - 1,
        targets: this.targets.map((target) => ({
          workload: target.workload,
          resourceId: target.resourceId,
          load: [{ namespace: NAMESPACE, metricName: 'Arrivals', dimensions: { Queue: target.workload }, stat: 'Sum' }],
          unitThroughput: 1,
          leadTimeSeconds: 600,
          // As the construct declares them: from the ScalableTarget in the same template the user deploys.
          minCapacity: target.userMin,
          maxCapacity: target.userMax,
        })),
      }),
    );
  }

  /** The user's changes between two runs, drawn from the seed. */
  private async userChanges(atMs: number) {
    for (const target of this.targets) {
      if (!target.registered) {
        this.count(this.changes, 'redeploy after deregistration');
        await this.deploy(target, atMs);
        continue;
      }
      if (!this.rng.chance(0.12)) continue;
      const own = (await this.all(target.resourceId)).filter((action) => OWN.test(action.ScheduledActionName!));
      const pendingRaise = Math.max(
        0,
        ...own.filter((action) => (atOf(action.Schedule!) ?? 0) > atMs).map((action) => action.ScalableTargetAction?.MinCapacity ?? 0),
      );
      const kind = this.rng.pick(['min-up', 'min-down', 'max-below-raise', 'max-back', 'deploy', 'more-user-actions']);
      if (kind === 'min-up')
        target.userMin = this.rng.pick([8, 12, 20, 25].filter((value) => value > target.userMin && value <= target.userMax)) ?? target.userMin;
      if (kind === 'min-down') target.userMin = FLOOR;
      if (kind === 'max-below-raise')
        target.userMax = Math.max(
          target.userMin,
          pendingRaise > target.userMin ? pendingRaise - this.rng.int(1, 5) : this.rng.int(target.userMin, 30),
        );
      if (kind === 'max-back') target.userMax = MAX;
      if (kind === 'more-user-actions') {
        const count = target.userActions.length;
        target.userActions.push(...farFuture(Math.max(0, 187 - count), count));
      }
      this.count(this.changes, kind);
      await this.deploy(target, atMs);
    }
  }

  private plan(run: number, worldStart: number): RunPlan {
    const rng = this.rng;
    const draw = (kind: string, p: number) => {
      const drawn = rng.chance(p);
      if (drawn) this.count(this.faults, kind);
      return drawn;
    };
    const damage: RunPlan['damage'] = [];
    for (const [kind, value] of [
      ['NaN value', Number.NaN],
      ['negative value', -5],
      ['huge value', 1e12],
    ] as const)
      if (draw(kind, 0.04)) damage.push({ index: rng.int(0, this.targets.length - 1), value });
    const steadyLag = run % 7 === 3;
    return {
      worldStart,
      readLagMs: steadyLag ? 90_000 : rng.int(0, 4) * MINUTE,
      callFaultRate: this.options.callFaultRate ?? 0.03,
      deregister: draw('deregistration drawn', 0.02) ? rng.pick(this.targets).resourceId : undefined,
      putMetricDataFails: draw('PutMetricData failing', 0.08),
      getMetricDataThrottled: draw('GetMetricData throttled', 0.05) ? rng.int(1, 5) : 0,
      pages: draw('GetMetricData in pages', 0.2),
      partialData: draw('GetMetricData partial data', 0.04),
      damage,
    };
  }

  /**
   * After a run: the user's actions untouched, and the target's future if the predictor stopped now (AAS fires
   * what is pending, the user changes nothing): never below the wall, never above MaxCapacity, and MinCapacity
   * back at the wall once our last action has run.
   */
  private async project(target: TargetWorld, runOk: boolean, ranAt: number) {
    if (!target.registered) return;
    const actions = await this.all(target.resourceId);
    for (const action of target.userActions) {
      const found = actions.find((candidate) => candidate.ScheduledActionName === action.name);
      if (!found || found.Schedule !== action.schedule || found.ScalableTargetAction?.MinCapacity !== action.minCapacity)
        this.violation(`foreign action touched: ${action.name} on ${target.workload} at ${new Date(ranAt).toISOString()}`);
    }
    if (actions.length > QUOTA) this.violation(`over the quota: ${actions.length} actions on ${target.workload}`);
    const own = actions.filter((action) => OWN.test(action.ScheduledActionName!));
    const ownNames = new Map(own.map((action) => [action.ScheduledActionName!, action.ScalableTargetAction?.MinCapacity ?? -1]));
    if (runOk) target.seenAfterChange = ownNames;
    else for (const [name, value] of [...target.seenAfterChange]) if (ownNames.get(name) !== value) target.seenAfterChange.delete(name);
    const current = await this.held(target.resourceId);
    if (!current) return;
    const until = this.clock + 2 * DAY;
    const events: { atMs: number; value: number; name: string; ours: boolean }[] = [];
    for (const action of own) {
      const at = atOf(action.Schedule!);
      if (at !== undefined && at > this.clock && at >= (this.putAt.get(`${target.resourceId}|${action.ScheduledActionName}`) ?? -Infinity))
        events.push({ atMs: at, value: action.ScalableTargetAction!.MinCapacity!, name: action.ScheduledActionName!, ours: true });
    }
    for (const action of target.userActions) {
      const times = runTimes({ schedule: action.schedule });
      if (times.evaluable)
        for (const atMs of times.between(this.clock + 1, until + 1)) events.push({ atMs, value: action.minCapacity, name: action.name, ours: false });
    }
    events.sort((a, b) => a.atMs - b.atMs || Number(a.ours) - Number(b.ours));
    const lastOwn = events.filter((event) => event.ours).at(-1);
    let held = current.min;
    let byOwnRaise = target.lastSetByOwnRaise;
    const label = runOk ? 'after a run' : 'after a failed run';
    for (const event of events) {
      held = event.value;
      if (!event.ours) {
        byOwnRaise = false;
        continue;
      }
      byOwnRaise = kindOf(event.name) === 'raise';
      const wall = this.wall(target, event.atMs);
      const when = new Date(event.atMs).toISOString();
      if (runOk && held < wall) this.violation(`below the wall (projected ${label}): ${event.name} would set ${held} under ${wall} at ${when}`);
      if (runOk && held > target.userMax)
        this.violation(`above MaxCapacity (projected ${label}): ${event.name} would set ${held} over ${target.userMax}`);
      if (event === lastOwn && held !== wall && (runOk || byOwnRaise))
        this.violation(`stuck (projected ${label}): MinCapacity left at ${held} by ${event.name}, the wall is ${wall} at ${when}`);
    }
    if (!lastOwn && byOwnRaise && held !== this.wall(target, this.clock))
      this.violation(`stuck (projected ${label}): our raise to ${held} is in force with nothing pending to restore it on ${target.workload}`);
  }

  async play(): Promise<WorldReport> {
    await this.setUp();
    for (let run = 0; run < this.options.runs; run++) {
      const worldStart = START + run * HOUR;
      await this.advance(worldStart - 30 * MINUTE);
      await this.userChanges(worldStart - 30 * MINUTE);
      await this.advance(worldStart);
      const plan = this.plan(run, worldStart);
      const skew = this.rng.int(-10, 10) * MINUTE;
      let outcomes: { workload: string; ok: boolean }[];
      const started = performance.now();
      try {
        // The predictor's clock runs with the world's (AWS's), off by the skew drawn for this run.
        const result = await runPredictor(this.clients(plan), this.config(), new Date(worldStart + skew), { clock: () => this.clock + skew });
        outcomes = [...result.outcomes];
      } catch (error) {
        this.violation(`the invocation threw at run ${run}: ${(error as Error).name}: ${(error as Error).message}`);
        outcomes = this.targets.map((target) => ({ workload: target.workload, ok: false }));
      }
      if (this.options.verbose) console.info(`seed ${this.options.seed} run ${run}: ${Math.round(performance.now() - started)} ms`);
      await this.advance(worldStart + (this.targets.length + 1) * plan.readLagMs + MINUTE);
      for (const target of this.targets) {
        this.targetRuns++;
        const ok = outcomes.find((outcome) => outcome.workload === target.workload)?.ok === true;
        if (!ok) this.failedTargetRuns++;
        await this.project(target, ok && target.registered, worldStart);
      }
    }
    const byKind: Record<string, number> = {};
    for (const violation of this.violations) this.count(byKind, violation.split(':')[0]!.replace(/ \(.*\)$/, ''));
    return {
      seed: this.options.seed,
      runs: this.options.runs,
      targetRuns: this.targetRuns,
      firedActions: this.fired,
      faults: this.faults,
      userChanges: this.changes,
      violations: this.violations,
      byKind,
      unseenChanges: this.unseen,
      failedTargetRuns: this.failedTargetRuns,
    };
  }
}

interface RunPlan {
  readonly worldStart: number;
  readonly readLagMs: number;
  readonly callFaultRate: number;
  readonly deregister?: string;
  readonly putMetricDataFails: boolean;
  getMetricDataThrottled: number;
  readonly pages: boolean;
  readonly partialData: boolean;
  readonly damage: { index: number; value: number }[];
}

/** Plays `seeds` worlds and sums their reports. */
export async function playWorlds(seeds: readonly number[], runs: number, options: Partial<WorldOptions> = {}) {
  const reports: WorldReport[] = [];
  for (const seed of seeds) reports.push(await new PredictorWorld({ ...options, seed, runs }).play());
  const sum = (pick: (report: WorldReport) => Record<string, number>) => {
    const total: Record<string, number> = {};
    for (const report of reports) for (const [kind, count] of Object.entries(pick(report))) total[kind] = (total[kind] ?? 0) + count;
    return total;
  };
  return {
    reports,
    seeds: seeds.length,
    runs,
    targetRuns: reports.reduce((total, report) => total + report.targetRuns, 0),
    firedActions: reports.reduce((total, report) => total + report.firedActions, 0),
    failedTargetRuns: reports.reduce((total, report) => total + report.failedTargetRuns, 0),
    unseenChanges: reports.reduce((total, report) => total + report.unseenChanges, 0),
    faults: sum((report) => report.faults),
    userChanges: sum((report) => report.userChanges),
    byKind: sum((report) => report.byKind),
    violations: reports.flatMap((report) => report.violations.map((violation) => `seed ${report.seed}: ${violation}`)),
    seedsWithViolations: reports.filter((report) => report.violations.length > 0).length,
  };
}
