import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { codeBlocks } from './support/markdown';

const ROOT = join(__dirname, '..');
const DOCS = join(ROOT, 'docs');

/**
 * What the examples use without making it themselves: a Mailroom, the host's configuration, database and web server.
 * A script, so its names are global; each example is a module of its own, whose own names shadow these.
 */
const PRELUDE = `
declare const mailroom: import('@mailroom/app').Mailroom;
declare const config: import('@mailroom/app').MailroomConfigInput;
declare const dataSource: import('typeorm').DataSource;
declare const pool: import('pg').Pool;
declare const event: import('@mailroom/app').QueryResultsChangedPayload;
declare const expressApp: import('express').Express;
declare const myApp: {
  sessionUser(cookie: string | null): Promise<{ login: string; email: string; roles: string[] } | undefined>;
};
declare class Invitation {
  id: string;
  email: string;
  account: string;
}
`;

interface Example {
  /** `docs/host-api.md`, and the line of the example's first line in it. */
  readonly doc: string;
  readonly line: number;
  readonly fileName: string;
  readonly text: string;
}

/** Every ```ts block of docs/*.md, as a module of its own. */
function examples(): Example[] {
  return readdirSync(DOCS)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .flatMap((name) =>
      codeBlocks(readFileSync(join(DOCS, name), 'utf8'))
        .filter((block) => block.language === 'ts' || block.language === 'typescript')
        .map((block, i) => ({
          doc: `docs/${name}`,
          line: block.line,
          fileName: join(DOCS, '__examples__', `${name.replace(/\.md$/, '')}-${i + 1}.ts`),
          // A module, so top-level await works and the examples do not see each other's names.
          text: /^\s*(import|export)\s/m.test(block.code) ? block.code : `${block.code}\nexport {};\n`,
        })),
    );
}

/** The examples' type errors, each with the documentation line it is on. */
function typeErrors(all: readonly Example[]): string[] {
  const prelude = join(DOCS, '__examples__', 'prelude.d.ts');
  const virtual = new Map<string, string>([[prelude, PRELUDE], ...all.map((e) => [e.fileName, e.text] as const)]);
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts'],
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noUncheckedIndexedAccess: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node', 'jest'],
    // The sources, as a host of the built packages sees their types.
    paths: {
      '@mailroom/domain': [join(ROOT, 'packages/domain/src/index.ts')],
      '@mailroom/adapters': [join(ROOT, 'packages/adapters/src/index.ts')],
      '@mailroom/app': [join(ROOT, 'packages/app/src/index.ts')],
    },
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = (
    (exists) => (name: string) =>
      virtual.has(name) || exists(name)
  )(host.fileExists.bind(host));
  host.readFile = (name) => virtual.get(name) ?? readFile(name);
  host.getSourceFile = (name, language, ...rest) => {
    const text = virtual.get(name);
    return text === undefined ? getSourceFile(name, language, ...rest) : ts.createSourceFile(name, text, language, true);
  };
  const program = ts.createProgram([prelude, ...all.map((e) => e.fileName)], options, host);
  const errors = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()].map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  );
  for (const example of all) {
    const file = program.getSourceFile(example.fileName)!;
    for (const d of [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]) {
      const { line } = file.getLineAndCharacterOfPosition(d.start ?? 0);
      errors.push(`${example.doc}:${example.line + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    }
  }
  return errors;
}

describe('the TypeScript examples in docs/', () => {
  const all = examples();
  /** A wrong example among them: the check must report it, at its line, and only it. */
  const wrong: Example = {
    doc: 'docs/wrong.md',
    line: 3,
    fileName: join(DOCS, '__examples__', 'wrong-1.ts'),
    text: "const id: number = await mailroom.notify({ kind: 'user-invtie', recipient: { address: 'ada@example.com' }, payload: {} });\nexport {};\n",
  };

  it('are there: the host API reference is made of them', () => {
    expect(all.filter((e) => e.doc === 'docs/host-api.md').length).toBeGreaterThan(15);
  });

  it('compile against the real types, with strict checks (and a wrong one would not)', () => {
    const errors = typeErrors([...all, wrong]);
    expect(errors.filter((e) => !e.startsWith('docs/wrong.md:'))).toEqual([]);
    expect(errors.filter((e) => e.startsWith('docs/wrong.md:3: ')).length).toBeGreaterThan(0);
  }, 120_000);
});
