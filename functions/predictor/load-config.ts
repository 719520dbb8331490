import type { SSMClient } from '@aws-sdk/client-ssm';
import { parseConfigShards, PREDICTOR_TARGETS_VARIABLE } from '../../shared/config-shards/config-shards.ts';
import { type PredictorConfig, parsePredictorConfig, PREDICTOR_CONFIG_VARIABLE } from '../../shared/predictor/config.ts';
import { readConfigShards } from '../config-shards/read-config-shards.ts';

/**
 * The predictor's configuration: the settings from HEADROOM_PREDICTOR_CONFIG, the targets from the SSM parameters
 * HEADROOM_PREDICTOR_TARGETS names (what the PredictiveScaling construct deploys), or from the settings' own
 * `targets` when that variable is unset. Validated by parsePredictorConfig either way.
 */
export async function loadPredictorConfig(env: Readonly<Record<string, string | undefined>>, ssm: SSMClient): Promise<PredictorConfig> {
  const raw = env[PREDICTOR_CONFIG_VARIABLE];
  const from = env[PREDICTOR_TARGETS_VARIABLE];
  if (from === undefined || from === '') return parsePredictorConfig(raw);
  const targets = await readConfigShards(ssm, parseConfigShards(from, PREDICTOR_TARGETS_VARIABLE));
  let settings: unknown;
  try {
    settings = JSON.parse(raw ?? '');
  } catch {
    return parsePredictorConfig(raw); // throws, naming the variable
  }
  return parsePredictorConfig(JSON.stringify({ ...(settings as object), targets }));
}
