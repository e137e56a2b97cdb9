import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filesUnder, installHostProject, packTarballs, run, unpack, versionOf, type Unpacked } from '../support/host-project';
import { PACKAGES, type PackageName } from '../support/public-api';

/**
 * The packages as a host gets them: `pnpm pack` (prepack builds with `tsc -b`), then `npm install` of the three
 * tarballs in a project outside the workspace, where a host program runs the README's test-double example, a host
 * file is type-checked against the installed types, and the installed `mailroom` command runs.
 */

const ROOT = join(__dirname, '../..');

/** Files besides `dist/` a package ships: the READMEs its own README points to. */
const DOCS: Record<PackageName, readonly string[]> = {
  domain: [],
  adapters: ['src/postgres/README.md', 'src/templates/README.md'],
  app: [],
};

/** The README's test-double example (notify → deliver → the captured mail), and the console's assets, as a host runs them. */
const HOST_PROGRAM = `
import { createRequire } from 'node:module';
import { createTestMailroom } from '@mailroom/app';

const required = createRequire(import.meta.url)('@mailroom/app');
const mailroom = await createTestMailroom({ config: { links: { baseUrl: 'https://idm.example.com/' }, brand: { productName: 'Acme IDM' } } });
const id = await mailroom.notify({
  kind: 'user-invite',
  recipient: { userId: 'u42', address: 'ada@example.com', name: 'Ada Lovelace', timeZone: 'Europe/Zurich' },
  payload: { inviterName: 'Grace Hopper', accountName: 'ada', acceptLinkPath: '/invitations/abc/accept', expiresAt: '2026-12-01T09:00:00Z' },
});
const delivered = await mailroom.deliver();
const [mail] = mailroom.sentTo('ada@example.com');
const admin = mailroom.adminHandler({ authorize: async () => ({ id: 'host-admin' }) });
const css = await admin.fetch(new Request('http://idm.example.com/console/assets/console.css'));
const page = await admin.fetch(new Request('http://idm.example.com/console/mail-server'));
console.log(JSON.stringify({
  delivered,
  status: (await mailroom.outbox.get(id)).status,
  to: mail.to,
  subject: mail.subject,
  htmlLink: mail.html.includes('https://idm.example.com/invitations/abc/accept'),
  textLink: mail.text.includes('https://idm.example.com/invitations/abc/accept'),
  sameWhenRequired: required.createTestMailroom === createTestMailroom,
  css: [css.status, css.headers.get('content-type'), (await css.text()).includes('box-sizing')],
  page: [page.status, (await page.text()).includes('/console/assets/console.css')],
}));
await mailroom.stop();
`;

/** A host's TypeScript against the installed declarations; the expected errors prove the types are not \`any\`. */
const HOST_TYPES = `
import { createMailroom, createTestMailroom, ValidationError, type MailroomOptions, type OutgoingMail } from '@mailroom/app';

const mailroom = await createTestMailroom();
const id: string = await mailroom.notify({
  kind: 'user-invite',
  recipient: { userId: 'u42', address: 'ada@example.com' },
  payload: { inviterName: 'Grace Hopper', accountName: 'ada', acceptLinkPath: '/invitations/abc/accept', expiresAt: '2026-12-01T09:00:00Z' },
});
// @ts-expect-error: a misspelt kind does not compile
await mailroom.notify({ kind: 'user-invtie', recipient: { address: 'ada@example.com' }, payload: {} });
const delivered: number = await mailroom.deliver();
const mails: OutgoingMail[] = mailroom.sentTo('ada@example.com');
const options: MailroomOptions = { config: { database: { url: 'postgres://db.example.com/idm' } } };
// @ts-expect-error: the host's pool is a pg Pool (its types come with the packages)
const pool: MailroomOptions['pool'] = 'postgres://db.example.com/idm';
void [createMailroom, id, delivered, mails, options, pool, ValidationError];
`;

const HOST_FILES = {
  'package.json': JSON.stringify({ name: 'mailroom-host', private: true, type: 'module' }),
  'host.mjs': HOST_PROGRAM,
  'host.ts': HOST_TYPES,
  // A strict host that also checks the declaration files (skipLibCheck off): a type the packages name but do not
  // bring with them fails here.
  'tsconfig.json': JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'nodenext', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] },
    files: ['host.ts'],
  }),
};

/** What tsc -b makes of a package's sources: each module and its declarations; other files are shipped as they are. */
function builtFrom(p: PackageName): string[] {
  const src = join(ROOT, 'packages', p, 'src');
  return filesUnder(src).flatMap((f) =>
    f.endsWith('.ts') ? [`dist/${f.replace(/\.ts$/, '.js')}`, `dist/${f.replace(/\.ts$/, '.d.ts')}`] : [],
  );
}

describe('the packages installed from their tarballs into a host project', () => {
  const work = mkdtempSync(join(tmpdir(), 'mailroom-tarballs-'));
  let tarballs: Record<PackageName, string>;
  const unpacked = {} as Record<PackageName, Unpacked>;
  let host: string | undefined;

  beforeAll(async () => {
    tarballs = await packTarballs(work);
    for (const p of PACKAGES) unpacked[p] = await unpack(tarballs[p], join(work, p));
    const typesNode = JSON.parse(readFileSync(join(ROOT, 'node_modules/@types/node/package.json'), 'utf8')) as { version: string };
    host = await installHostProject(Object.values(tarballs), [`@types/node@${typesNode.version}`], HOST_FILES);
  }, 900_000);

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
    if (host) rmSync(host, { recursive: true, force: true });
  });

  describe.each(PACKAGES)('@mailroom/%s', (p) => {
    it('has a manifest a host can install: version ranges for its workspace dependencies, exports, files, engines, license', () => {
      const m = unpacked[p].manifest;
      expect(m.private).toBeUndefined();
      expect(JSON.stringify(m)).not.toContain('workspace:');
      const dependencies = (m.dependencies ?? {}) as Record<string, string>;
      for (const [name, range] of Object.entries(dependencies)) {
        if (name.startsWith('@mailroom/'))
          expect([name, range]).toEqual([name, `^${versionOf(name.slice('@mailroom/'.length) as PackageName)}`]);
      }
      expect(m.exports).toEqual({ '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' });
      expect(m.main).toBe('dist/index.js');
      expect(m.types).toBe('dist/index.d.ts');
      expect(m.engines).toEqual((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: unknown }).engines);
      expect(m.license).toEqual(expect.any(String));
      expect(m.description).toEqual(expect.stringMatching(/\w/));
      // Nothing runs at a host's install.
      expect(Object.keys(m.scripts ?? {}).filter((s) => /^((pre|post)?install|prepare)$/.test(s))).toEqual([]);
    });

    it('holds exactly what tsc -b built from its sources (each module with its declarations, nothing stale), its README, no sources or maps', () => {
      const expected = ['package.json', 'README.md', ...DOCS[p], ...builtFrom(p)].sort();
      expect(unpacked[p].files).toEqual(expected);
    });

    it('reads no file next to its modules at run time (nothing from src/, no __dirname)', () => {
      const { dir, files } = unpacked[p];
      const readers = files.filter(
        (f) => f.endsWith('.js') && /__dirname|__filename|import\.meta|['"`/]src\//.test(readFileSync(join(dir, f), 'utf8')),
      );
      expect(readers).toEqual([]);
    });
  });

  it("ships the app's CLI executable with its shebang, and the console's assets and the built-in templates as modules", () => {
    const { dir, files, manifest } = unpacked.app;
    expect(manifest.bin).toEqual({ mailroom: 'dist/cli/main.js' });
    expect(statSync(join(dir, 'dist/cli/main.js')).mode & 0o111).toBe(0o111);
    expect(readFileSync(join(dir, 'dist/cli/main.js'), 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(files).toEqual(expect.arrayContaining(['dist/console/assets/console-css.js', 'dist/console/assets/console-js.js']));
    expect(unpacked.adapters.files).toEqual(
      expect.arrayContaining(['dist/templates/built-in/user-invite.js', 'dist/templates/built-in/digest.js']),
    );
  });

  it('installs each package once, from its tarball (no registry copy)', () => {
    const lock = JSON.parse(readFileSync(join(host!, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string }> };
    const ours = Object.entries(lock.packages).filter(([path]) => /(^|\/)node_modules\/@mailroom\//.test(path));
    expect(ours.map(([path, entry]) => [path, entry.resolved]).sort()).toEqual(
      [...PACKAGES]
        .sort()
        .map((p) => [`node_modules/@mailroom/${p}`, expect.stringMatching(new RegExp(`^file:.*mailroom-${p}-[^/]+\\.tgz$`))]),
    );
  });

  it("runs the README's test double in a host program, imported and required: notify, deliver, the captured mail; the console's assets", async () => {
    const result = await run(process.execPath, ['host.mjs'], host!, 60_000);
    expect([result.status, result.stderr]).toEqual([0, '']);
    expect(JSON.parse(result.stdout)).toEqual({
      delivered: 1,
      status: 'sent',
      to: [{ address: 'ada@example.com', name: 'Ada Lovelace' }],
      subject: 'Grace Hopper invited you to the account “ada” on Acme IDM',
      htmlLink: true,
      textLink: true,
      sameWhenRequired: true,
      css: [200, 'text/css; charset=utf-8', true],
      page: [200, true],
    });
  }, 60_000);

  it("type-checks a host's TypeScript against the installed declarations (tsc --noEmit, library files checked too)", async () => {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '--noEmit', '-p', '.'], host!, 180_000);
    expect([result.status, result.stdout + result.stderr]).toEqual([0, '']);
  }, 180_000);

  it('runs the installed mailroom command: --help prints the usage', async () => {
    const result = await run(join(host!, 'node_modules/.bin/mailroom'), ['--help'], host!, 60_000);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: mailroom \[options\] \[command\]/);
    for (const command of ['start', 'migrate', 'doctor', 'send-test', 'settings'])
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  }, 60_000);
});
