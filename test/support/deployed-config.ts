import { Match, type Template } from 'aws-cdk-lib/assertions';

/** The template values (strings, or Fn::Join around references) of the SSM parameters holding `what`s. */
export function configShardValues(template: Template, what: 'predictor target' | 'backlog source'): unknown[] {
  const parameters = template.findResources('AWS::SSM::Parameter', { Properties: { Description: Match.stringLikeRegexp(`${what}s, part`) } });
  return Object.values(parameters)
    .sort((a, b) => String(a.Properties.Description).localeCompare(String(b.Properties.Description), 'en', { numeric: true }))
    .map((parameter) => parameter.Properties.Value);
}

/** The predictor's settings variable and every target shard, as one text to search (template values JSON-quoted). */
export function predictorConfigText(template: Template): string {
  const functions = template.findResources('AWS::Lambda::Function', { Properties: { Description: Match.stringLikeRegexp('forecasts load') } });
  const settings = Object.values(functions)[0]!.Properties.Environment.Variables.HEADROOM_PREDICTOR_CONFIG;
  return JSON.stringify([settings, ...configShardValues(template, 'predictor target')]);
}

/** Every backlog source shard, as one text to search (template values JSON-quoted). */
export function backlogSourcesText(template: Template): string {
  return JSON.stringify(configShardValues(template, 'backlog source'));
}
