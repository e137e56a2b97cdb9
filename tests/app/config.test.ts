import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@mailroom/app';
import { checkLogLevel, loadConfig, parseConfig } from '../../packages/app/src/config/load-config';
import { redactConfig } from '../../packages/app/src/config/redact';

function problems(input: unknown): string[] {
  try {
    parseConfig(input);
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map((i) => `${i.setting}: ${i.problem}`);
    throw e;
  }
  return [];
}

const oauth = {
  type: 'oauth2',
  username: 'noreply@contoso.com',
  tokenUrl: 'https://login.microsoftonline.com/0f5d9e0e-1111-2222-3333-444455556666/oauth2/v2.0/token',
  clientId: 'c1',
  clientSecret: 'client-secret-value',
};
const exchange = (auth: object, extra: object = {}) => ({
  from: { address: 'noreply@contoso.com' },
  smtp: { host: 'smtp.office365.com', port: 587, tls: 'starttls', auth, ...extra },
});

describe('configuration', () => {
  it('fills in every default from nothing', () => {
    const { config } = parseConfig({});
    expect(config.database).toMatchObject({ schema: 'mailroom', embedded: { dataDir: '.mailroom/postgres' } });
    expect(config.database.url).toBeUndefined();
    expect(config.smtp).toBeUndefined();
    expect(config.digest).toEqual({ intervalMinutes: 60, maxItems: 20 });
    expect(config.retry.maxAttempts).toBe(10);
    expect(config.limits).toEqual({ payloadBytes: 65_536 });
  });

  it('accepts a complete Exchange Online OAuth2 setup', () => {
    const { config, warnings } = parseConfig(exchange(oauth));
    expect(config.smtp?.auth).toMatchObject({ type: 'oauth2', clientAuth: 'basic' });
    expect(config.smtp?.poolSize).toBe(3);
    expect(warnings).toEqual([]);
  });

  it.each([
    [
      'a token URL that is not Microsoft’s while the host is smtp.office365.com',
      exchange({ ...oauth, tokenUrl: 'https://auth.example.com/token' }),
      'smtp.auth.tokenUrl: smtp.office365.com takes tokens from Microsoft Entra; the token URL must look like https://login.microsoftonline.com/<tenant id>/oauth2/v2.0/token',
    ],
    [
      'a Graph scope',
      exchange({ ...oauth, scope: 'https://graph.microsoft.com/.default' }),
      'smtp.auth.scope: "https://graph.microsoft.com/.default" is a Microsoft Graph scope; SMTP needs https://outlook.office365.com/.default',
    ],
    [
      'a delegated permission as scope',
      exchange({ ...oauth, scope: 'SMTP.Send' }),
      'smtp.auth.scope: "SMTP.Send" is a delegated permission name',
    ],
    [
      'port 465 with STARTTLS',
      { smtp: { host: 'mail.example.com', port: 465, tls: 'starttls' } },
      'smtp.tls: port 465 speaks TLS from the first byte; set smtp.tls to "implicit"',
    ],
    [
      'port 587 with implicit TLS',
      { smtp: { host: 'mail.example.com', port: 587, tls: 'implicit' } },
      'smtp.tls: port 587 starts in plain text and upgrades with STARTTLS',
    ],
    [
      'a password without TLS',
      { smtp: { host: 'mail.example.com', tls: 'none', auth: { type: 'direct', username: 'u', password: 'p' } } },
      'smtp.tls: credentials would travel unencrypted',
    ],
    [
      'an unknown auth type',
      { smtp: { host: 'mail.example.com', auth: { type: 'kerberos' } } },
      'smtp.auth.type: must be "none", "direct" or "oauth2"',
    ],
    ['a missing client secret', exchange({ ...oauth, clientSecret: undefined }), 'smtp.auth.clientSecret: is required'],
    [
      'a host with a scheme',
      { smtp: { host: 'smtp://mail.example.com' } },
      'smtp.host: must be a host name or IP address without scheme or port',
    ],
    ['a misspelt setting', { smtp: { host: 'mail.example.com', prot: 25 } }, 'smtp: unknown setting "prot"'],
    ['a base URL that is not http(s)', { links: { baseUrl: 'ftp://idm.example.com' } }, 'links.baseUrl: must be an absolute http(s) URL'],
    ['a digest interval of zero', { digest: { intervalMinutes: 0 } }, 'digest.intervalMinutes:'],
    ['an invalid From address', { from: { address: 'noreply@@example.com' } }, 'from.address: Invalid e-mail address'],
    ['a database URL of another kind', { database: { url: 'mysql://db/x' } }, 'database.url: must be a postgres:// URL'],
    [
      'a port written as a string',
      { smtp: { host: 'mail.example.com', port: '2599' } },
      'smtp.port: must be a number, got a string; write 2599 without quotes',
    ],
    [
      'a boolean written as a string',
      { smtp: { host: 'mail.example.com', allowInsecureAuth: 'true' } },
      'smtp.allowInsecureAuth: must be a boolean, got a string',
    ],
    ['a list where a setting group belongs', { digest: [60] }, 'digest: must be an object, got a list'],
    [
      'an unknown TLS mode',
      { smtp: { host: 'mail.example.com', tls: 'ssl' } },
      'smtp.tls: must be one of "implicit", "starttls", "none" (got "ssl")',
    ],
    ['an unsafe schema name', { database: { schema: 'Mail-Room' } }, 'database.schema: must be a lower-case SQL identifier'],
  ])('explains %s', (_what, input, expected) => {
    const found = problems(input);
    expect(found.some((p) => p.startsWith(expected))).toBe(true);
  });

  it('names the environment variable in the error message', () => {
    expect(() => parseConfig({ smtp: { host: 'mail.example.com', port: 465, tls: 'starttls' } })).toThrow(
      /smtp\.tls \(MAILROOM_SMTP_TLS\): port 465/,
    );
  });

  it('warns, without stopping, about advice an admin should see', () => {
    const { warnings } = parseConfig({ ...exchange({ ...oauth, username: 'robot@contoso.com' }, { poolSize: 5 }) });
    expect(warnings.join('\n')).toMatch(/SendAsDenied/);
    expect(warnings.join('\n')).toMatch(/432 4\.3\.2/);
    expect(parseConfig(exchange({ type: 'direct', username: 'u', password: 'p' })).warnings.join('\n')).toMatch(
      /retired basic authentication/,
    );
  });

  describe('loading', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailroom-config-'));

    it('reads mailroom.config.json and lets environment variables win', () => {
      writeFileSync(
        join(dir, 'mailroom.config.json'),
        JSON.stringify({ smtp: { host: 'file.example.com', port: 25, tls: 'none' }, digest: { maxItems: 5 } }),
      );
      const { config, file } = loadConfig({
        cwd: dir,
        env: { MAILROOM_SMTP_HOST: 'env.example.com', MAILROOM_DIGEST_INTERVAL_MINUTES: '15' },
      });
      expect(file).toBe(join(dir, 'mailroom.config.json'));
      expect(config.smtp?.host).toBe('env.example.com');
      expect(config.smtp?.port).toBe(25);
      expect(config.digest).toEqual({ intervalMinutes: 15, maxItems: 5 });
    });

    it('takes secrets from files and types numbers and booleans', () => {
      writeFileSync(join(dir, 'secret.txt'), 'file-secret\n');
      const { config } = loadConfig({
        cwd: dir,
        file: 'mailroom.config.json',
        env: {
          MAILROOM_SMTP_HOST: 'smtp.office365.com',
          MAILROOM_SMTP_PORT: '587',
          MAILROOM_SMTP_TLS: 'starttls',
          MAILROOM_SMTP_AUTH: 'oauth2',
          MAILROOM_SMTP_USERNAME: 'noreply@contoso.com',
          MAILROOM_FROM_ADDRESS: 'noreply@contoso.com',
          MAILROOM_OAUTH_TOKEN_URL: oauth.tokenUrl,
          MAILROOM_OAUTH_CLIENT_ID: 'c1',
          MAILROOM_OAUTH_CLIENT_SECRET_FILE: 'secret.txt',
          MAILROOM_SMTP_ALLOW_INSECURE_AUTH: 'false',
        },
      });
      expect(config.smtp?.auth).toMatchObject({ type: 'oauth2', clientSecret: 'file-secret' });
      expect(config.smtp?.port).toBe(587);
      expect(config.smtp?.allowInsecureAuth).toBe(false);
    });

    it('takes the payload limit from MAILROOM_LIMITS_PAYLOAD_BYTES and keeps it within bounds', () => {
      const empty = mkdtempSync(join(tmpdir(), 'mailroom-config-'));
      expect(loadConfig({ cwd: empty, env: { MAILROOM_LIMITS_PAYLOAD_BYTES: '131072' } }).config.limits.payloadBytes).toBe(131_072);
      expect(() => loadConfig({ cwd: empty, env: { MAILROOM_LIMITS_PAYLOAD_BYTES: '10' } })).toThrow(
        /limits\.payloadBytes \(MAILROOM_LIMITS_PAYLOAD_BYTES\): .*1024/,
      );
    });

    it('refuses a number that is not one, naming the variable', () => {
      expect(() => loadConfig({ cwd: dir, env: { MAILROOM_SMTP_PORT: '58x' } })).toThrow(
        /smtp\.port \(MAILROOM_SMTP_PORT\): MAILROOM_SMTP_PORT must be a whole number/,
      );
    });

    it('says which file is missing or broken', () => {
      expect(() => loadConfig({ cwd: dir, file: 'nope.json', env: {} })).toThrow(/nope\.json does not exist/);
      writeFileSync(join(dir, 'broken.json'), '{ smtp: ');
      expect(() => loadConfig({ cwd: dir, file: 'broken.json', env: {} })).toThrow(/broken\.json is not valid JSON/);
    });

    it.each([
      ['[1,2,3]', 'a list'],
      ['"hello"', 'a string'],
      ['null', 'null'],
      ['42', 'a number'],
    ])('refuses a configuration file holding %s, naming the file', (content, holds) => {
      writeFileSync(join(dir, 'not-an-object.json'), content);
      expect(() => loadConfig({ cwd: dir, file: 'not-an-object.json', env: {} })).toThrow(
        `file: ${join(dir, 'not-an-object.json')} holds ${holds}, not an object of settings`,
      );
    });

    it('refuses an unknown MAILROOM_LOG_LEVEL naming log.level, the variable and the levels there are', () => {
      const empty = mkdtempSync(join(tmpdir(), 'mailroom-config-'));
      expect(() => loadConfig({ cwd: empty, env: { MAILROOM_LOG_LEVEL: 'loud' } })).toThrow(
        'log.level (MAILROOM_LOG_LEVEL): must be one of "fatal", "error", "warn", "info", "debug", "trace", "silent" (got "loud")',
      );
      expect(() => checkLogLevel('loud')).toThrow(ConfigError);
      expect(() => checkLogLevel('loud')).toThrow(/log\.level \(MAILROOM_LOG_LEVEL\): must be one of "fatal"/);
    });

    it.each([
      'postgres://:hunter2-db@',
      'postgres://mailroom:hunter2-db@db.example.com:99999/app',
      'postgres://mailroom:hunter2-db@[db]/app',
    ])('refuses the malformed database URL %s naming database.url, without its password', (url) => {
      const empty = mkdtempSync(join(tmpdir(), 'mailroom-config-'));
      let error: unknown;
      try {
        loadConfig({ cwd: empty, env: { MAILROOM_DATABASE_URL: url } });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((i) => i.setting)).toEqual(['database.url']);
      expect((error as Error).message).toContain('database.url (MAILROOM_DATABASE_URL): is not a URL the PostgreSQL driver can read');
      expect((error as Error).message).not.toContain('hunter2');
    });

    it('accepts the database URLs the driver accepts (a space or an empty host before the database)', () => {
      for (const url of [
        'postgres://u:p@db:5432/app',
        'postgresql://u:p w@db/app',
        'postgres://u:p@/app',
        'postgres:///app?host=/var/run/postgresql',
      ]) {
        expect(parseConfig({ database: { url } }).config.database.url).toBe(url);
      }
    });

    it('never shows a secret in errors or in printed configuration', () => {
      let message = '';
      try {
        loadConfig({
          cwd: dir,
          env: {
            MAILROOM_SMTP_HOST: 'mail.example.com',
            MAILROOM_SMTP_TLS: 'none',
            MAILROOM_SMTP_AUTH: 'direct',
            MAILROOM_SMTP_USERNAME: 'u',
            MAILROOM_SMTP_PASSWORD: 'hunter2-secret',
          },
        });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/credentials would travel unencrypted/);
      expect(message).not.toContain('hunter2-secret');
      const { config } = parseConfig({ database: { url: 'postgres://mailroom:db-pass-123@db:5432/app' }, ...exchange(oauth) });
      const printed = JSON.stringify(redactConfig(config));
      expect(printed).not.toContain('client-secret-value');
      expect(printed).not.toContain('db-pass-123');
      expect(printed).toContain('postgres://mailroom:***@db:5432/app');
    });
  });
});
