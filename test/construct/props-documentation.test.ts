import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../../stacks/index.ts', import.meta.url));

interface PropDoc {
  readonly owner: string;
  readonly name: string;
  readonly optional: boolean;
  readonly documented: boolean;
  readonly hasDefault: boolean;
}

/** Every property of every exported `*Props` interface of the construct library, with its TSDoc. */
function exportedConstructProps(): PropDoc[] {
  const program = ts.createProgram([entry], {
    allowImportingTsExtensions: true,
    noEmit: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
  });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  const props: PropDoc[] = [];
  for (const exported of checker.getExportsOfModule(module)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!(symbol.flags & ts.SymbolFlags.Interface) || !symbol.name.endsWith('Props')) continue;
    for (const property of checker.getDeclaredTypeOfSymbol(symbol).getProperties()) {
      const tags = property.getJsDocTags(checker);
      props.push({
        owner: symbol.name,
        name: property.name,
        optional: (property.flags & ts.SymbolFlags.Optional) !== 0,
        documented: ts.displayPartsToString(property.getDocumentationComment(checker)).trim().length > 0,
        hasDefault: tags.some((tag) => tag.name === 'default'),
      });
    }
  }
  return props;
}

describe('the construct library’s props', () => {
  const props = exportedConstructProps();

  it('are found (the check reads the real exports)', () => {
    expect(props.map((prop) => `${prop.owner}.${prop.name}`)).toContain('QueueScaledServiceProps.acceptableLatency');
  });

  it('are every one documented', () => {
    expect(props.filter((prop) => !prop.documented).map((prop) => `${prop.owner}.${prop.name}`)).toEqual([]);
  });

  it('document their @default when optional', () => {
    expect(props.filter((prop) => prop.optional && !prop.hasDefault).map((prop) => `${prop.owner}.${prop.name}`)).toEqual([]);
  });
});
