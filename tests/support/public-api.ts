import { join, relative } from 'node:path';
import ts from 'typescript';

/** The three packages whose public API is their `src/index.ts`. */
export const PACKAGES = ['domain', 'adapters', 'app'] as const;
export type PackageName = (typeof PACKAGES)[number];

const ROOT = join(__dirname, '../..');

/** One exported name of a package: where it is declared and whether it carries a doc comment. */
export interface PublicExport {
  readonly name: string;
  /** The file that declares it, relative to the repository. */
  readonly declaredIn: string;
  readonly documented: boolean;
  /** Public members of an exported class without a doc comment (`Class.member`). */
  readonly undocumentedMembers: readonly string[];
}

/**
 * Reads each package's exports from its sources with the TypeScript compiler (types included, which no `require`
 * can see), resolving `@mailroom/*` to the sibling packages' sources.
 */
export function publicExports(): Record<PackageName, PublicExport[]> {
  const indexOf = (p: string) => join(ROOT, 'packages', p, 'src/index.ts');
  const program = ts.createProgram(PACKAGES.map(indexOf), {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    baseUrl: ROOT,
    paths: { '@mailroom/*': ['packages/*/src/index.ts'] },
    types: ['node'],
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const result = {} as Record<PackageName, PublicExport[]>;
  for (const p of PACKAGES) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(indexOf(p))!)!;
    result[p] = checker
      .getExportsOfModule(module)
      .map((symbol) => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        const declarations = target.declarations ?? [];
        return {
          name: symbol.name,
          declaredIn: relative(ROOT, declarations[0]?.getSourceFile().fileName ?? ''),
          documented: declarations.some(hasDoc),
          undocumentedMembers: declarations.filter(ts.isClassDeclaration).flatMap((c) => undocumentedMembers(c)),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }
  return result;
}

function hasDoc(node: ts.Node): boolean {
  // A variable's comment sits on its statement: `/** … */ export const X = …`.
  const holder = ts.isVariableDeclaration(node) ? node.parent.parent : node;
  return ts.getJSDocCommentsAndTags(holder).length > 0;
}

function undocumentedMembers(c: ts.ClassDeclaration): string[] {
  const isPublic = (m: ts.ClassElement) =>
    !(ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) &&
    !(m.name && ts.isPrivateIdentifier(m.name)) &&
    !ts.isConstructorDeclaration(m) &&
    // An override is documented where it is declared first (`name` of an error class, a port's method).
    !(ts.getCombinedModifierFlags(m) & ts.ModifierFlags.Override) &&
    !ts.isClassStaticBlockDeclaration(m);
  return c.members.filter((m) => isPublic(m) && !hasDoc(m)).map((m) => `${c.name?.text}.${m.name?.getText() ?? '?'}`);
}

/** The export names a package README lists: the lines `- \`Name\` — what it is for` under `## Public exports`. */
export function listedInReadme(readme: string): string[] {
  const start = readme.indexOf('\n## Public exports\n');
  if (start < 0) return [];
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^- `([A-Za-z_$][\w$]*)` — \S/gm)].map((m) => m[1]!).sort((a, b) => a.localeCompare(b));
}

/** Where a package's README is. */
export const readmeOf = (p: PackageName): string => join(ROOT, 'packages', p, 'README.md');
