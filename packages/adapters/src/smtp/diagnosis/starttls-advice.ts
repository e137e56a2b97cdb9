import type { StepFailure } from './diagnosis-step';
import { parseEhloReply } from './ehlo-reply';
import { greetingFailure, handshakeFailure, replyCode } from './network-advice';
import type { SettingNames } from './setting-names';
import type { SmtpTranscript } from './smtp-transcript';

/** Why the session did not get to TLS in starttls mode: no greeting, STARTTLS refused or not offered, or the handshake. */
export function startTlsFailure(error: unknown, transcript: SmtpTranscript, port: number, names: SettingNames): StepFailure {
  const e = (error ?? {}) as { code?: string; command?: string; response?: string };
  if (e.command === 'STARTTLS' && e.response) {
    const firstEhlo = transcript.repliesTo('EHLO')[0]?.line;
    const offered = firstEhlo === undefined ? undefined : parseEhloReply(firstEhlo);
    return {
      detail: `STARTTLS: ${e.response}${offered ? `; the EHLO reply before it offered ${offered.extensions.join(' ') || 'no extensions'}` : ''}`,
      code: replyCode(e.response) ?? 'ETLS',
      cause: offered?.startTls
        ? `The server offers STARTTLS but refused it (${e.response}).`
        : `The server does not offer STARTTLS on port ${port} (${e.response}), and ${names.tls} "starttls" requires it: credentials must not travel in clear.`,
      fix: `Use the port where the server offers STARTTLS (587), or set ${names.tls} to "implicit" if it speaks TLS from the first byte (465). "none" is only for a trusted local relay.`,
    };
  }
  if (e.code === 'ETLS') return handshakeFailure(error, 'starttls', port, names);
  return greetingFailure(error, 'starttls', port, names);
}
