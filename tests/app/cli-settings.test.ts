import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { aWorkingFolder, CLI, cleanEnv, runCli, type CliRun } from '../support/cli';
import { describeOnSystemPostgres, dropSchema, SYSTEM_POSTGRES_URL, uniqueSchema } from '../support/postgres';
import { expectNoSecrets } from '../support/secrets';

/** `mailroom <args>` as a process with `input` written to its stdin (then closed), as `printf … | mailroom …` does. */
function runCliWithInput(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv, input: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

const aSecretKey = () => randomBytes(32).toString('base64');

describeOnSystemPostgres()('mailroom settings, as a process on the system PostgreSQL', () => {
  const dir = aWorkingFolder();
  const schemas: string[] = [];
  let schema: string;
  /** The environment of one test: its own schema, plus `extra`. */
  let env: (extra?: Record<string, string>) => NodeJS.ProcessEnv;
  const cli = (args: readonly string[], extra: Record<string, string> = {}) => runCli(dir, ['settings', ...args], env(extra));
  const json = async (args: readonly string[], extra: Record<string, string> = {}) => {
    const run = await cli([...args, '--json'], extra);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the test reads the JSON as a user's script would
    return { run, result: JSON.parse(run.stdout) as Record<string, any> };
  };
  const storedRows = async (): Promise<Record<string, unknown>[]> => {
    const client = new Client({ connectionString: SYSTEM_POSTGRES_URL });
    await client.connect();
    try {
      return (await client.query<Record<string, unknown>>(`SELECT * FROM "${schema}".settings`)).rows;
    } finally {
      await client.end();
    }
  };
  const setting = async (path: string, extra: Record<string, string> = {}) => {
    const { run, result } = await json(['get', path], extra);
    expect(run.status).toBe(0);
    return result.settings[0];
  };

  beforeEach(() => {
    schema = uniqueSchema();
    schemas.push(schema);
    env = (extra = {}) => cleanEnv({ MAILROOM_DATABASE_URL: SYSTEM_POSTGRES_URL, MAILROOM_DATABASE_SCHEMA: schema, ...extra });
  });

  afterAll(async () => {
    for (const s of schemas) await dropSchema(SYSTEM_POSTGRES_URL, s);
    rmSync(dir, { recursive: true, force: true });
  });

  it('set saves values of their type, get shows them as stored, history names who and what, unset goes back to the default', async () => {
    const before = await setting('smtp.port');
    expect(before).toMatchObject({ source: 'default', locked: false, runTime: true });

    const set = await cli(['set', 'smtp.host', 'mail.example.com', 'smtp.port', '2525', 'smtp.allowInsecureAuth', 'yes']);
    expect(set.status).toBe(0);
    expect(set.stdout).toMatch(/^Saved settings version 1 \(by cli(:[^)]+)?\):/);
    expect(set.stdout).toContain('smtp.port: – → 2525');

    expect(await setting('smtp.port')).toMatchObject({ value: 2525, source: 'stored', changedBy: expect.stringMatching(/^cli/) });
    expect(await setting('smtp.allowInsecureAuth')).toMatchObject({ value: true, source: 'stored' });
    const table = await cli(['get']);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/^Settings at version 1:/);
    expect(table.stdout).toMatch(/smtp\.port +2525 +stored +run-time/);
    expect(table.stdout).toMatch(/worker\.batchSize +\d+ +default +start-only/);

    expect((await cli(['set', 'smtp.port', '587'])).stdout).toContain('smtp.port: 2525 → 587');
    const history = await cli(['history']);
    expect(history.status).toBe(0);
    expect(history.stdout).toMatch(/^version +when +by +setting +change/);
    expect(history.stdout).toMatch(/2 +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC +cli\S* +smtp\.port +2525 → 587/);
    expect(history.stdout).toMatch(/1 +.* UTC +cli\S* +smtp\.host +– → mail\.example\.com/);
    const { result } = await json(['history', '--limit', '1']);
    expect(result.entries).toEqual([
      expect.objectContaining({ version: 2, changes: [{ path: 'smtp.port', change: 'set', secret: false, from: 2525, to: 587 }] }),
    ]);

    const unset = await cli(['unset', 'smtp.port']);
    expect(unset.status).toBe(0);
    expect(unset.stdout).toContain('smtp.port: 587 → – (back to the file or default)');
    expect(await setting('smtp.port')).toMatchObject({ source: 'default', set: false });
    // Resetting what is not saved changes nothing and writes no empty version.
    expect((await cli(['unset', 'smtp.port'])).stdout).toContain('Nothing to reset: no value is saved for smtp.port (default)');
    expect((await json(['get', 'smtp.port'])).result.version).toBe(3);
  }, 60_000);

  it('refuses, exit 1 and nothing saved: a locked setting naming its variable, a start-only one, a bad int, an unknown path', async () => {
    const locked = await cli(['set', 'smtp.port', '25'], { MAILROOM_SMTP_HOST: 'mail.example.com', MAILROOM_SMTP_PORT: '587' });
    expect(locked.status).toBe(1);
    expect(locked.stdout).toBe('');
    expect(locked.stderr).toContain('smtp.port (MAILROOM_SMTP_PORT): is set by the environment variable MAILROOM_SMTP_PORT');
    expect(await setting('smtp.port', { MAILROOM_SMTP_HOST: 'mail.example.com', MAILROOM_SMTP_PORT: '587' })).toMatchObject({
      locked: true,
      source: 'environment',
      value: 587,
    });
    const lockedTable = await cli(['get', 'smtp.port'], { MAILROOM_SMTP_HOST: 'mail.example.com', MAILROOM_SMTP_PORT: '587' });
    expect(lockedTable.stdout).toMatch(/smtp\.port +587 +environment +locked by MAILROOM_SMTP_PORT +run-time/);

    const startOnly = await json(['set', 'worker.batchSize', '5']);
    expect(startOnly.run.status).toBe(1);
    expect(startOnly.result).toMatchObject({ ok: false, code: 'CONFIG.INVALID' });
    expect(startOnly.result.issues).toEqual([{ setting: 'worker.batchSize', problem: expect.stringContaining('read at start only') }]);

    const badInt = await cli(['set', 'smtp.host', 'mail.example.com', 'smtp.port', 'abc']);
    expect(badInt.status).toBe(1);
    expect(badInt.stderr).toContain('smtp.port (MAILROOM_SMTP_PORT): must be a whole number (got "abc")');

    const unknown = await cli(['get', 'smtp.prot']);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('smtp.prot (did you mean smtp.port?) is not a setting');
    const odd = await cli(['set', 'smtp.host']);
    expect(odd.status).toBe(1);
    expect(odd.stderr).toContain('smtp.host has no value');

    expect((await json(['history'])).result.entries).toEqual([]);
    expect(await storedRows()).toEqual([]);
  }, 60_000);

  it('takes a secret from stdin only, saves it sealed, and never shows it: not in get, history, --json, nor the table', async () => {
    const password = `Pw-${randomBytes(9).toString('hex')}`;
    const key = { MAILROOM_SECRET_KEY: aSecretKey() };
    const args = ['set', 'smtp.host', 'mail.example.com', 'smtp.auth.type', 'direct', 'smtp.auth.username', 'ada'];

    const onCommandLine = await cli([...args, 'smtp.auth.password', password], key);
    expect(onCommandLine.status).toBe(1);
    expect(onCommandLine.stderr).toContain('smtp.auth.password is a secret: a value on the command line stays in the shell');
    expectNoSecrets([onCommandLine.stdout, onCommandLine.stderr], [password]);

    const noKey = await runCliWithInput(dir, ['settings', ...args, 'smtp.auth.password', '-'], env(), `${password}\n`);
    expect(noKey.status).toBe(1);
    expect(noKey.stderr).toContain('Saving smtp.auth.password needs a secret key');
    expect(noKey.stderr).toContain('MAILROOM_SECRET_KEY');
    expect(await storedRows()).toEqual([]);

    const saved = await runCliWithInput(dir, ['settings', ...args, 'smtp.auth.password', '-'], env(key), `${password}\n`);
    expect(saved.status).toBe(0);
    expect(saved.stdout).toContain('smtp.auth.password: changed');

    const shown = await setting('smtp.auth.password', key);
    expect(shown).toMatchObject({ secret: true, set: true, source: 'stored' });
    expect(shown).not.toHaveProperty('value');
    const outputs = [saved, await cli(['get'], key), await cli(['get', '--json'], key), await cli(['history'], key)];
    outputs.push(await cli(['history', '--json'], key));
    expect(outputs[1]!.stdout).toMatch(/smtp\.auth\.password +set \(changed \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC by cli\S*\) +stored/);
    expect(outputs[3]!.stdout).toMatch(/smtp\.auth\.password +changed/);
    expectNoSecrets(
      outputs.flatMap((o) => [o.stdout, o.stderr]),
      [password],
    );

    const rows = await storedRows();
    const row = rows.find((r) => r.path === 'smtp.auth.password');
    expect(row).toMatchObject({ secret: true });
    expectNoSecrets([JSON.stringify(rows)], [password]);
  }, 60_000);

  it('reads a secret from --from-file', async () => {
    const key = { MAILROOM_SECRET_KEY: aSecretKey() };
    const file = join(dir, 'client-secret.txt');
    writeFileSync(file, 'Client-Secret-From-File\n', { mode: 0o600 });
    const direct = ['smtp.host', 'mail.example.com', 'smtp.auth.type', 'direct', 'smtp.auth.username', 'ada'];
    const run = await cli(['set', ...direct, 'smtp.auth.password', '--from-file', file], key);
    expect(run.stdout).toContain('smtp.auth.password: changed');
    expect(await setting('smtp.auth.password', key)).toMatchObject({ set: true, source: 'stored' });
    expectNoSecrets([JSON.stringify(await storedRows())], ['Client-Secret-From-File']);
  }, 60_000);

  it('rotate-key seals the saved secrets again with the new key; afterwards the new key alone opens them', async () => {
    const oldKey = aSecretKey();
    const newKey = aSecretKey();
    const set = [
      'settings',
      'set',
      'smtp.host',
      'mail.example.com',
      'smtp.auth.type',
      'direct',
      'smtp.auth.username',
      'ada',
      'smtp.auth.password',
      '-',
    ];
    expect((await runCliWithInput(dir, set, env({ MAILROOM_SECRET_KEY: oldKey }), 'Rotate-Me-1\n')).status).toBe(0);
    const sealedBefore = (await storedRows()).find((r) => r.path === 'smtp.auth.password')!.value;

    const withNewOnly = await cli(['get'], { MAILROOM_SECRET_KEY: newKey });
    expect(withNewOnly.status).toBe(1);
    expect(withNewOnly.stderr).toContain('smtp.auth.password');

    const rotated = await json(['rotate-key'], { MAILROOM_SECRET_KEY: newKey, MAILROOM_SECRET_KEY_PREVIOUS: oldKey });
    expect(rotated.run.status).toBe(0);
    expect(rotated.result).toMatchObject({ ok: true, resealed: 1 });
    const again = await cli(['rotate-key'], { MAILROOM_SECRET_KEY: newKey, MAILROOM_SECRET_KEY_PREVIOUS: oldKey });
    expect(again.stdout).toContain('No saved secret is sealed with a previous key');

    expect((await storedRows()).find((r) => r.path === 'smtp.auth.password')!.value).not.toEqual(sealedBefore);
    expect(await setting('smtp.auth.password', { MAILROOM_SECRET_KEY: newKey })).toMatchObject({ set: true, source: 'stored' });
    const history = await cli(['history', '--limit', '1'], { MAILROOM_SECRET_KEY: newKey });
    expect(history.stdout).toMatch(/2 +.* UTC +cli\S* +smtp\.auth\.password +changed/);
    expectNoSecrets([rotated.run.stdout, history.stdout, JSON.stringify(await storedRows())], ['Rotate-Me-1']);
  }, 60_000);
});
