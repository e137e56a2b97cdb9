import { adminHandler, ConfigError, serveAdmin, type AdminServer, type TestMailroom } from '@mailroom/app';
import { ContractSettings } from '../../support/admin-settings';
import { adminTestMailroom, backendOf } from './admin-support';

const TOKEN = 'admin-Token-0123456789abcdef';

/** `mailroom start`'s own admin server: loopback by default, a bearer token required when set and off loopback. */
describe('serveAdmin', () => {
  let mailroom: TestMailroom;
  let served: AdminServer | undefined;
  const lines: unknown[][] = [];
  const logger = { info: (...args: unknown[]) => void lines.push(args) };
  const handler = () => adminHandler(backendOf(mailroom, new ContractSettings({})), { authorize: async () => ({ id: 'mailroom-start' }) });

  beforeEach(async () => {
    mailroom = await adminTestMailroom();
    lines.length = 0;
  });

  afterEach(async () => {
    await served?.close();
    served = undefined;
    await mailroom.stop();
  });

  it.each(['0.0.0.0:0', '[::]:0', '192.0.2.10:7780'])(
    'refuses to listen on %s without a token, naming both settings and their variables',
    async (listen) => {
      const error = await serveAdmin(handler(), { listen, logger }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      const { message, issues } = error as ConfigError;
      expect(issues.map((i) => i.setting)).toEqual(['admin.token']);
      for (const name of ['admin.token', 'MAILROOM_ADMIN_TOKEN', 'admin.listen', 'MAILROOM_ADMIN_LISTEN', listen])
        expect(message).toContain(name);
    },
  );

  it('refuses a listen address that is not host:port', async () => {
    const error = await serveAdmin(handler(), { listen: 'localhost', logger }).catch((e: unknown) => e);
    expect((error as ConfigError).issues).toEqual([{ setting: 'admin.listen', problem: expect.stringContaining('must be host:port') }]);
  });

  it('serves on loopback without a token', async () => {
    served = await serveAdmin(handler(), { listen: '127.0.0.1:0', logger });
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${served.url}/health`)).status).toBe(200);
    expect(lines[0]![0]).toContain('(loopback, no token)');
  });

  it('requires the bearer token when one is set, on any address, and never logs it', async () => {
    served = await serveAdmin(handler(), { listen: '0.0.0.0:0', token: TOKEN, logger });
    const port = new URL(served.url).port;
    const at = (headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${port}/outbox/counts`, { headers });
    const none = await at();
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.json()).toEqual({
      error: { code: 'ADMIN.TOKEN_REQUIRED', message: expect.stringContaining('Authorization: Bearer') },
    });
    expect((await at({ authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await at({ authorization: 'Basic abc' })).status).toBe(401);
    expect((await at({ authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    // A change with the token needs JSON but no CSRF header: no browser adds a bearer token by itself.
    const retry = await fetch(`http://127.0.0.1:${port}/outbox/retry-all`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(retry.status).toBe(202);
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });
});
