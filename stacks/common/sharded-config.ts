import { createHash } from 'node:crypto';
import { Lazy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct, type IConstruct } from 'constructs';
import { type ConfigShards, SHARD_MAX_BYTES } from '../../shared/config-shards/config-shards.ts';
import { boundOf } from './deployed-length.ts';
import { InvalidPropError } from './prop-validation.ts';

export interface ShardedConfigProps {
  /** What the entries are, for messages: `predictor target`, `backlog source`. */
  readonly what: string;
  /** The construct method that adds entries, for messages. */
  readonly where: string;
}

/**
 * A configuration that grows with the number of workloads (the predictor's targets, the publisher's sources),
 * kept out of the function's environment (Lambda allows 4 KB of it in all:
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html) in SSM parameters, each a JSON array of
 * entries whose deployed length is bounded by 8 KB, the most a parameter value may hold
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html).
 *
 * - Deploy safety: the values are template properties, so queue URLs and ARNs resolve at deploy, in the same
 *   deployment as the function. Every parameter name carries a hash of the whole configuration: a change creates
 *   new parameters, the function (which depends on them) is then pointed at the new set in one update, and
 *   CloudFormation deletes the old set only once the stack update has succeeded. A run reads one complete
 *   version, never a mix, and a rollback finds the old set still there.
 * - Cost and quota: one parameter per shard, not per workload (CloudFormation's 500 resources a stack); Intelligent-
 *   Tiering keeps a shard a free standard parameter while its deployed value fits 4 KB, as it does with ordinary
 *   names, and makes it an advanced one rather than failing the deploy when long names push it past.
 * - Least privilege: the function may read its own parameters only (`grantRead`).
 * - A predictor that fans out (one run per shard) can be handed one shard's name.
 */
export class ShardedConfig extends Construct {
  private readonly shards: { entries: unknown[]; bound: number; parameter: ssm.CfnParameter }[] = [];
  private readonly props: ShardedConfigProps;
  private version: string | undefined;

  constructor(scope: Construct, id: string, props: ShardedConfigProps) {
    super(scope, id);
    this.props = props;
  }

  /** The parameters' common path: `/headroom/<stack>/<construct>/`; the version and shard number follow it. */
  get basePath(): string {
    return `/headroom/${Stack.of(this).stackName}/${this.node.addr.slice(0, 12)}`;
  }

  /** How many parameters hold the configuration. */
  get shardCount(): number {
    return this.shards.length;
  }

  /** Adds an entry, to the last shard if its deployed length still fits 8 KB, else to a new one. */
  add(entry: unknown): void {
    const stack = Stack.of(this);
    // `,` between entries and the array's brackets.
    const bound = boundOf(stack, entry) + 1;
    if (bound + 2 > SHARD_MAX_BYTES) {
      throw new InvalidPropError(
        this.props.where,
        this.props.what,
        `may deploy as ${bound} bytes of configuration (its references counted at their documented maximum length), above the ${SHARD_MAX_BYTES} one SSM parameter holds`,
        'Give it fewer load metrics or dimensions, or literal names instead of references.',
      );
    }
    let shard = this.shards.at(-1);
    if (!shard || shard.bound + bound > SHARD_MAX_BYTES) {
      const index = this.shards.length;
      const parameter = new ssm.CfnParameter(this, `Shard${index}`, {
        type: 'String',
        tier: 'Intelligent-Tiering',
        description: `headroom: ${this.props.what}s, part ${index + 1}`,
        name: Lazy.string({ produce: () => `${this.versionPath()}/${index}` }),
        value: Lazy.string({ produce: () => stack.toJsonString(this.shards[index]!.entries) }),
      });
      shard = { entries: [], bound: 2, parameter };
      this.shards.push(shard);
    }
    shard.entries.push(entry);
    shard.bound += bound;
    this.version = undefined;
  }

  /** The largest deployed length any shard may reach, in bytes. */
  get largestShardBound(): number {
    return Math.max(0, ...this.shards.map((shard) => shard.bound - 1));
  }

  /** What the function's environment holds instead of the configuration: where to read it. */
  pointer(): string {
    return Lazy.string({
      produce: () => JSON.stringify({ path: this.versionPath(), count: this.shards.length } satisfies ConfigShards),
    });
  }

  /** Lets `grantee` read this configuration's parameters, and orders it after them so it never runs ahead of them. */
  grantRead(grantee: iam.IGrantable & IConstruct): void {
    const { partition, region, account } = Stack.of(this);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:GetParameters'],
        resources: [`arn:${partition}:ssm:${region}:${account}:parameter${this.basePath}/*`],
      }),
    );
    grantee.node.addDependency(this);
  }

  /** `<basePath>/<hash of every shard's resolved value>`: a new configuration is a new set of parameters. */
  private versionPath(): string {
    if (this.version === undefined) {
      const stack = Stack.of(this);
      const resolved = JSON.stringify(this.shards.map((shard) => stack.resolve(stack.toJsonString(shard.entries))));
      this.version = createHash('sha256').update(resolved).digest('hex').slice(0, 12);
    }
    return `${this.basePath}/${this.version}`;
  }
}
