import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import {
  ConfigError,
  createMailroom,
  createTestMailroom,
  field,
  MailroomError,
  payloadSchema,
  TOKENS,
  type KindDefinition,
  type MailroomOptions,
} from '@mailroom/app';
import { Pool } from 'pg';
import { aClosedPort } from '../support/cli';
import { describeOnSystemPostgres, SYSTEM_POSTGRES_URL, uniqueSchema } from '../support/postgres';
import { until } from '../support/until';

const SMTP = { host: '127.0.0.1', port: 2599, tls: 'none' as const, auth: { type: 'none' as const } };
const REPORT_KIND: KindDefinition<'acme.report-ready'> = {
  kind: 'acme.report-ready',
  validate: payloadSchema({ reportName: field.text() }),
};

async function failure(options: MailroomOptions<string>): Promise<MailroomError> {
  const error = await createMailroom(options).then(
    async (m) => {
      await m.stop();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MailroomError);
  return error as MailroomError;
}

describe('createMailroom in a host: development defaults only when asked', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailroom-host-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('without smtp and database.url fails with a ConfigError naming both and the opt-in, starting nothing', async () => {
    const error = await failure({
      env: {},
      cwd: dir,
      config: { catcher: { dir: join(dir, 'inbox') }, database: { embedded: { dataDir: join(dir, 'pg') } } },
    });
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.setting)).toEqual(['database.url', 'smtp.host']);
    expect(error.message).toContain('database.url (MAILROOM_DATABASE_URL): is not set');
    expect(error.message).toContain('smtp.host (MAILROOM_SMTP_HOST): is not set');
    expect(error.message).toContain('createMailroom({ development: true })');
    expect(existsSync(join(dir, 'inbox'))).toBe(false);
    expect(existsSync(join(dir, 'pg'))).toBe(false);
  });

  it('without smtp alone, reads the stored settings first (an admin may have saved the server): the database must answer', async () => {
    const port = await aClosedPort();
    const error = await failure({ env: {}, config: { database: { url: `postgres://postgres@127.0.0.1:${port}/x` } } });
    expect(error.code).toBe('DATABASE.UNAVAILABLE');
    const pool = new Pool({ connectionString: `postgres://postgres@127.0.0.1:${port}/x` });
    const withPool = await failure({ env: {}, pool });
    expect(withPool.code).toBe('DATABASE.UNAVAILABLE');
    await pool.end();
  });
});

describeOnSystemPostgres()('createMailroom in a host, on the system PostgreSQL', () => {
  const admin = new Pool({ connectionString: SYSTEM_POSTGRES_URL, max: 1 });
  const schemas: string[] = [];
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailroom-host-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  afterAll(async () => {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  /** A URL that names its connections, so the test can count them in pg_stat_activity. */
  function named(schema: string): { url: string; applicationName: string } {
    const applicationName = `leak-${schema}`.slice(0, 60);
    const url = new URL(SYSTEM_POSTGRES_URL);
    url.searchParams.set('application_name', applicationName);
    return { url: url.toString(), applicationName };
  }

  async function connections(applicationName: string): Promise<number> {
    const { rows } = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [
      applicationName,
    ]);
    return rows[0]!.n;
  }

  it('runs the development mail catcher only when asked with development: true', async () => {
    const schema = uniqueSchema();
    schemas.push(schema);
    const mailroom = await createMailroom({
      env: {},
      development: true,
      config: { database: { url: SYSTEM_POSTGRES_URL, schema }, catcher: { dir: join(dir, 'inbox') }, log: { level: 'silent' } },
    });
    try {
      expect(mailroom.setup.smtp).toMatch(/^development mail catcher on 127\.0\.0\.1:\d+/);
    } finally {
      await mailroom.stop();
    }
  });

  it('refuses a host kind without templates at start, naming the kind, before it opens anything', async () => {
    const schema = uniqueSchema();
    const { url, applicationName } = named(schema);
    const error = await failure({ env: {}, config: { database: { url, schema }, smtp: SMTP }, kinds: [REPORT_KIND] });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(
      'kind "acme.report-ready" has no templates; add acme.report-ready.subject.eta, acme.report-ready.html.eta and acme.report-ready.text.eta to templates.directory',
    );
    expect(await connections(applicationName)).toBe(0);
  });

  it('closes everything it opened when it fails: three failed starts leave no connection behind', async () => {
    const schema = uniqueSchema();
    schemas.push(schema);
    const { url, applicationName } = named(schema);
    const config = { database: { url, schema, poolSize: 3 }, smtp: SMTP, log: { level: 'silent' as const } };
    const broken = { 'user-invite.subject': 'Hi <%= it.payload.accountName', 'user-invite.html': '<p>hi</p>', 'user-invite.text': 'hi' };
    for (let i = 0; i < 3; i++) {
      await expect(createMailroom({ env: {}, config, templates: broken })).rejects.toMatchObject({ code: 'TEMPLATE.SYNTAX' });
      // Failing late, after the pool, the migrations and the LISTEN connection are up.
      await expect(
        createMailroom({ env: {}, config, configure: () => Promise.reject(new Error('the host wiring failed')) }),
      ).rejects.toThrow('the host wiring failed');
    }
    await until(async () => (await connections(applicationName)) === 0, `no connection named ${applicationName} left`, 5000);
  });

  it('lets a host process exit on its own after failed starts', async () => {
    const schema = uniqueSchema();
    schemas.push(schema);
    const { url } = named(schema);
    const app = join(__dirname, '../../packages/app/dist/index.js');
    const script = `
      const { createMailroom } = require(${JSON.stringify(app)});
      const config = { database: { url: ${JSON.stringify(url)}, schema: ${JSON.stringify(schema)} }, smtp: ${JSON.stringify(SMTP)}, log: { level: 'silent' } };
      const broken = { 'user-invite.subject': 'Hi <%= it.x', 'user-invite.html': 'x', 'user-invite.text': 'x' };
      (async () => {
        for (let i = 0; i < 3; i++) {
          await createMailroom({ env: {}, config, templates: broken }).catch(() => undefined);
          await createMailroom({ env: {}, config, configure: () => { throw new Error('wiring'); } }).catch(() => undefined);
        }
        console.log('tried');
      })();`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await exited;
    clearTimeout(timer);
    expect(output).toContain('tried');
    expect(code).toBe(0); // not killed after 20 s by a connection that kept it alive
  }, 30_000);
});

describe('template overrides checked at start, naming the file and templates.directory', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailroom-templates-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const start = async (kinds: MailroomOptions['kinds'] = []) => {
    // A database nobody listens on: the templates are checked before it is asked.
    const port = await aClosedPort();
    return failure({
      env: {},
      config: { database: { url: `postgres://postgres@127.0.0.1:${port}/x` }, smtp: SMTP, templates: { directory: dir } },
      kinds,
    });
  };

  it('refuses a subject-only override', async () => {
    writeFileSync(join(dir, 'user-invite.subject.eta'), 'Welcome');
    const error = await start();
    expect(error.code).toBe('TEMPLATE.INCOMPLETE');
    expect(error.message).toContain(join(dir, 'user-invite.subject.eta'));
  });

  it('refuses a misspelt kind, with the kind it meant', async () => {
    for (const part of ['subject', 'html', 'text']) writeFileSync(join(dir, `user-invtie.${part}.eta`), 'x');
    const error = await start();
    expect(error.code).toBe('CONFIG.TEMPLATES');
    expect(error.message).toMatch(
      /user-invtie\.(subject|html|text)\.eta is for kind "user-invtie", which is not defined; did you mean "user-invite"\?/,
    );
  });

  it("accepts a host kind's templates in the directory once the kind is defined", async () => {
    for (const part of ['subject', 'html', 'text'])
      writeFileSync(join(dir, `acme.report-ready.${part}.eta`), 'Report <%= it.payload.reportName %>');
    const mailroom = await createTestMailroom({ config: { templates: { directory: dir } }, kinds: [REPORT_KIND] });
    await mailroom.notify({
      kind: 'acme.report-ready',
      recipient: { userId: 'u1', address: 'ada@example.com' },
      payload: { reportName: 'Q4' },
    });
    expect(await mailroom.deliver()).toBe(1);
  });

  it('refuses an .item.html without its .item.text', async () => {
    writeFileSync(join(dir, 'user-invite.item.html.eta'), '<b>x</b>');
    const error = await start();
    expect(error.code).toBe('TEMPLATE.INCOMPLETE');
    expect(error.message).toContain(join(dir, 'user-invite.item.html.eta'));
  });

  it('refuses a .txt file, naming it and templates.directory', async () => {
    writeFileSync(join(dir, 'user-invite.text.txt'), 'Hello');
    const error = await start();
    expect(error.code).toBe('CONFIG.TEMPLATES');
    expect(error.message).toContain(
      `${join(dir, 'user-invite.text.txt')} in templates.directory (MAILROOM_TEMPLATES_DIR) is not a template`,
    );
  });

  it('names templates.directory, not templates.overrides.directory, for a directory it cannot read', async () => {
    rmSync(dir, { recursive: true });
    const error = await start();
    expect(error.message).toContain('create it or fix templates.directory (MAILROOM_TEMPLATES_DIR)');
    expect(error.message).not.toContain('overrides');
  });
});

describe("Mailroom's public surface holds no secret", () => {
  it('shows the configuration with its secrets masked', async () => {
    const mailroom = await createTestMailroom({
      config: {
        database: { url: 'postgres://mailroom:Db-Secret-1@db.example.com/app' },
        smtp: { host: 'smtp.example.com', tls: 'starttls', auth: { type: 'direct', username: 'ada', password: 'Smtp-Secret-2' } },
      },
    });
    const texts = [
      JSON.stringify(mailroom.config),
      inspect(mailroom.config, { depth: 10 }),
      inspect(mailroom, { depth: 3 }),
      JSON.stringify(mailroom.container.get(TOKENS.Config)),
      JSON.stringify(await mailroom.health()),
    ];
    for (const text of texts) {
      expect(text).not.toContain('Db-Secret-1');
      expect(text).not.toContain('Smtp-Secret-2');
    }
    expect(mailroom.config.smtp?.auth).toEqual({ type: 'direct', username: 'ada', password: '***', mechanism: 'auto' });
    expect(mailroom.config.database.url).toBe('postgres://mailroom:***@db.example.com/app');
    await mailroom.stop();
  });
});
