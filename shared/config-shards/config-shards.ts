/**
 * Where a configuration that grows with the number of workloads lives: SSM parameters `<path>/0` ..
 * `<path>/<count - 1>`, each a JSON array of entries, named in the function's environment by this pointer. The
 * environment stays a few hundred bytes whatever the number of workloads (Lambda allows 4 KB in all:
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
 */
export interface ConfigShards {
  /** The parameters' common path, ending in the configuration's version. */
  readonly path: string;
  readonly count: number;
}

/**
 * What one shard's deployed value may reach: 8 KB, an advanced parameter's limit (a standard one holds 4 KB:
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html).
 */
export const SHARD_MAX_BYTES = 8192;

/** GetParameters takes at most 10 names per call (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameters.html). */
export const GET_PARAMETERS_MAX_NAMES = 10;

/** The configuration's delivery is wrong; the message names the variable or the parameter and what to do. */
export class ConfigShardsError extends Error {
  override readonly name = 'ConfigShardsError';
}

/** Reads a pointer from the environment variable `variable`; throws ConfigShardsError naming it. */
export function parseConfigShards(raw: string | undefined, variable: string): ConfigShards {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw ?? '');
  } catch {
    throw new ConfigShardsError(
      `${variable} must be {"path": string, "count": number} (as headroom's construct writes it), got ${JSON.stringify(raw)}`,
    );
  }
  const { path, count } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof path !== 'string' || !path.startsWith('/') || typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
    throw new ConfigShardsError(
      `${variable} must be {"path": "/...", "count": a whole number >= 1} (as headroom's construct writes it), got ${JSON.stringify(raw)}`,
    );
  }
  return { path, count };
}

/** The parameter names of a configuration, in order. */
export function shardNames(shards: ConfigShards): string[] {
  return Array.from({ length: shards.count }, (_, index) => `${shards.path}/${index}`);
}

/**
 * The entries of every shard, in order, from the values read (name -> value). A shard missing or not a JSON array
 * throws ConfigShardsError naming it: a run reads one whole version of the configuration or none.
 */
export function joinShards(shards: ConfigShards, values: ReadonlyMap<string, string>): unknown[] {
  const names = shardNames(shards);
  const missing = names.filter((name) => !values.has(name));
  if (missing.length > 0) {
    throw new ConfigShardsError(
      `configuration parameter(s) ${missing.join(', ')} not found: the stack that wrote them was deleted or rolled back, or the function's environment was edited by hand; redeploy the stack`,
    );
  }
  return names.flatMap((name) => {
    let entries: unknown;
    try {
      entries = JSON.parse(values.get(name)!);
    } catch (error) {
      throw new ConfigShardsError(`configuration parameter ${name} is not valid JSON (${(error as Error).message}): redeploy the stack`);
    }
    if (!Array.isArray(entries)) throw new ConfigShardsError(`configuration parameter ${name} must hold a JSON array, got ${typeof entries}`);
    return entries;
  });
}

/** The predictor's targets: where to read them (HEADROOM_PREDICTOR_CONFIG keeps the predictor-wide settings). */
export const PREDICTOR_TARGETS_VARIABLE = 'HEADROOM_PREDICTOR_TARGETS';
/** The backlog publisher's sources: where to read them (HEADROOM_BACKLOG_SOURCES, when set, holds them itself). */
export const BACKLOG_SOURCES_FROM_VARIABLE = 'HEADROOM_BACKLOG_SOURCES_FROM';
