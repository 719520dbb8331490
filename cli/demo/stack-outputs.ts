import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { DeployedStack } from '../local-aws/deploy-reference.ts';

/** The physical id of the stack's one resource of `type` whose logical id starts with `logicalIdPrefix`. */
export async function physicalIdOf(deployed: DeployedStack, type: string, logicalIdPrefix: string): Promise<string> {
  let nextToken: string | undefined;
  do {
    const page = await new CloudFormationClient({}).send(new ListStackResourcesCommand({ StackName: deployed.stackName, NextToken: nextToken }));
    const found = page.StackResourceSummaries?.find(
      (summary) => summary.ResourceType === type && summary.LogicalResourceId?.startsWith(logicalIdPrefix),
    );
    if (found?.PhysicalResourceId) return found.PhysicalResourceId;
    nextToken = page.NextToken;
  } while (nextToken);
  throw new Error(`${deployed.stackName} has no ${type} named ${logicalIdPrefix}*`);
}

/** The environment a deployed function runs with, as CloudFormation resolved it. */
export async function referenceFunctionEnvironment(deployed: DeployedStack, logicalIdPrefix: string): Promise<Record<string, string>> {
  const functionName = await physicalIdOf(deployed, 'AWS::Lambda::Function', logicalIdPrefix);
  const configuration = await new LambdaClient({}).send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
  return configuration.Environment?.Variables ?? {};
}
