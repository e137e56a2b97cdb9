import { MailSendError } from '@mailroom/domain';
import { createMailroom } from '../create-mailroom';
import { ConfigError } from '../config';
import { createLogger } from '../logger';
import { TOKENS } from '../container/tokens';
import type { GlobalOptions } from './commands';
import type { Output } from './output';

/** `mailroom doctor`: checks the configuration, then the way to the SMTP server; exit code 1 when a step fails. */
export async function doctor(global: GlobalOptions, out: Output): Promise<number> {
  let mailroom;
  try {
    mailroom = await createMailroom({ ...(global.config ? { configFile: global.config } : {}), logger: createLogger('silent'), startCatcher: false });
  } catch (error) {
    const issues = error instanceof ConfigError ? error.issues : [];
    out.result({ ok: false, steps: [{ step: 'configuration', ok: false, detail: (error as Error).message, issues }] }, `✗ configuration\n  ${(error as Error).message}`);
    return 1;
  }
  try {
    await mailroom.container.get(TOKENS.MailSender).verify();
    out.result({ ok: true, steps: [{ step: 'configuration', ok: true }, { step: 'smtp', ok: true }] }, '✓ configuration\n✓ connect, TLS and authentication');
    return 0;
  } catch (error) {
    const e = error as MailSendError;
    out.result({ ok: false, steps: [{ step: 'smtp', ok: false, detail: e.message, hint: e.hint, code: e.code }] }, `✗ smtp\n  ${e.message}${e.hint ? `\n  fix: ${e.hint}` : ''}`);
    return 1;
  } finally {
    await mailroom.stop();
  }
}
