/** The stacks of a cloud assembly manifest (cdk.out/manifest.json): name -> template file, relative to cdk.out. */
export function assemblyTemplates(manifest: unknown): Map<string, string> {
  const artifacts = (manifest as { artifacts?: Record<string, { type?: string; properties?: { templateFile?: string } }> })?.artifacts;
  if (!artifacts || typeof artifacts !== 'object')
    throw new Error('manifest.json has no artifacts: is this a cdk.out directory written by `cdk synth`?');
  const templates = new Map<string, string>();
  for (const [name, artifact] of Object.entries(artifacts)) {
    if (artifact.type === 'aws:cloudformation:stack' && artifact.properties?.templateFile) templates.set(name, artifact.properties.templateFile);
  }
  return templates;
}
