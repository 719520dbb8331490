import { GetParametersCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { type ConfigShards, GET_PARAMETERS_MAX_NAMES, joinShards, shardNames } from '../../shared/config-shards/config-shards.ts';

/** Reads every shard of a configuration from SSM Parameter Store (10 names a call) and joins their entries in order. */
export async function readConfigShards(ssm: SSMClient, shards: ConfigShards): Promise<unknown[]> {
  const names = shardNames(shards);
  const values = new Map<string, string>();
  for (let start = 0; start < names.length; start += GET_PARAMETERS_MAX_NAMES) {
    const answer = await ssm.send(new GetParametersCommand({ Names: names.slice(start, start + GET_PARAMETERS_MAX_NAMES) }));
    for (const parameter of answer.Parameters ?? []) {
      if (parameter.Name !== undefined && parameter.Value !== undefined) values.set(parameter.Name, parameter.Value);
    }
  }
  return joinShards(shards, values);
}
