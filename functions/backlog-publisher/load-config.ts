import type { SSMClient } from '@aws-sdk/client-ssm';
import { BACKLOG_SOURCES_FROM_VARIABLE, parseConfigShards } from '../../shared/config-shards/config-shards.ts';
import { type BacklogPublisherConfig, parseBacklogPublisherConfig, SOURCES_VARIABLE } from '../../shared/backlog/index.ts';
import { readConfigShards } from '../config-shards/read-config-shards.ts';

/**
 * The publisher's configuration: its sources from HEADROOM_BACKLOG_SOURCES when set, else from the SSM parameters
 * HEADROOM_BACKLOG_SOURCES_FROM names (what the BacklogPublisher construct deploys). Validated by
 * parseBacklogPublisherConfig either way.
 */
export async function loadBacklogPublisherConfig(env: Readonly<Record<string, string | undefined>>, ssm: SSMClient): Promise<BacklogPublisherConfig> {
  const from = env[BACKLOG_SOURCES_FROM_VARIABLE];
  if (from === undefined || from === '' || env[SOURCES_VARIABLE] !== undefined) return parseBacklogPublisherConfig(env);
  const sources = await readConfigShards(ssm, parseConfigShards(from, BACKLOG_SOURCES_FROM_VARIABLE));
  return parseBacklogPublisherConfig({ ...env, [SOURCES_VARIABLE]: JSON.stringify(sources) });
}
