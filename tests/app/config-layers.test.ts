import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../packages/app/src/config';

/** Default < configuration file < the host's settings < stored (admin) < environment variable. */
describe('configuration layers, and where each setting comes from', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'mailroom-layers-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));
  writeFileSync(
    join(cwd, 'mailroom.config.json'),
    JSON.stringify({ smtp: { host: 'file.example.com', port: 25, tls: 'none' }, subjectPrefix: '[file]', digest: { maxItems: 5 } }),
  );

  const load = (stored: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = {}) =>
    loadConfig({ cwd, env, overrides: { subjectPrefix: '[host]', digest: { maxItems: 7, intervalMinutes: 30 } }, stored });

  it('stored values beat the file and the host; environment variables beat them all', () => {
    const { config } = load({ 'digest.maxItems': 9, 'smtp.host': 'stored.example.com' }, { MAILROOM_SMTP_HOST: 'env.example.com' });
    expect(config.smtp?.host).toBe('env.example.com');
    expect(config.digest).toEqual({ maxItems: 9, intervalMinutes: 30 });
    expect(config.subjectPrefix).toBe('[host]');
    expect(config.smtp?.port).toBe(25);
  });

  it('names the source of every setting; one set by the environment is locked, with its variable', () => {
    const { sources } = load({ 'digest.maxItems': 9 }, { MAILROOM_SMTP_HOST: 'env.example.com' });
    const of = (path: string) => sources.find((s) => s.path === path);
    expect(of('smtp.host')).toEqual({
      path: 'smtp.host',
      source: 'environment',
      locked: true,
      lockedBy: 'environment',
      variable: 'MAILROOM_SMTP_HOST',
      runTime: true,
    });
    expect(of('digest.maxItems')).toMatchObject({ source: 'stored', locked: false });
    expect(of('subjectPrefix')).toMatchObject({ source: 'host', locked: false });
    expect(of('smtp.port')).toMatchObject({ source: 'file', locked: false });
    expect(of('retry.maxAttempts')).toMatchObject({ source: 'default', locked: false, runTime: true });
    expect(of('database.url')).toMatchObject({ runTime: false });
  });

  it('refuses a stored value for a setting read at start only, naming it', () => {
    expect(() => load({ 'database.url': 'postgres://x@y/z', 'worker.batchSize': 5 })).toThrow(
      expect.objectContaining({
        code: 'CONFIG.INVALID',
        issues: [
          expect.objectContaining({ setting: 'database.url', problem: expect.stringContaining('read at start only') }),
          expect.objectContaining({ setting: 'worker.batchSize' }),
        ],
      }),
    );
  });

  it('validates stored values like any other: a wrong one is a ConfigError naming the setting', () => {
    expect(() => load({ 'digest.maxItems': 'many' })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ setting: 'digest.maxItems' })] }),
    );
  });
});
