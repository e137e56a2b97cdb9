import { tlsProblem } from '../tls-problem';
import type { SmtpTlsMode } from '../smtp-settings';
import type { StepFailure } from './diagnosis-step';
import type { SettingNames } from './setting-names';

interface SystemError {
  code?: string;
  originalCode?: string;
  message?: string;
  response?: string;
  command?: string;
  timeoutType?: string;
}

const codeOf = (error: unknown): string | undefined => {
  const e = error as SystemError | undefined;
  return e?.originalCode ?? e?.code;
};

/** The host name did not resolve. */
export function resolveFailure(host: string, error: unknown, names: SettingNames): StepFailure {
  const code = codeOf(error) ?? 'EDNS';
  const missing = code === 'ENOTFOUND' || code === 'ENODATA';
  return {
    detail: `dns.lookup(${host}): ${code}`,
    code,
    cause: missing
      ? `The host name ${host} does not exist in DNS (as seen from this machine).`
      : `DNS could not answer for ${host} (${code}): the resolver of this machine is unreachable or failing.`,
    fix: missing
      ? `Check the spelling of ${names.host} (Exchange Online: smtp.office365.com), and that this machine uses the DNS that knows internal names.`
      : "Check this machine's DNS settings (/etc/resolv.conf, a proxy-only network), then run doctor again.",
  };
}

/** The TCP connection was not established. */
export function connectFailure(address: string, port: number, error: unknown, timeoutMs: number, names: SettingNames): StepFailure {
  const code = codeOf(error) ?? 'ECONNECTION';
  const detail = `TCP ${address}:${port}: ${code}`;
  if (code === 'ECONNREFUSED') {
    return {
      detail,
      code,
      cause: `Nothing accepts connections on ${address}:${port}: the connection was refused (no server listens on that port, or a firewall rejects it).`,
      fix: `Check ${names.port} (587 for STARTTLS, 465 for implicit TLS, 25 for a relay) and that the mail server is running.`,
    };
  }
  if (code === 'ETIMEDOUT' || code === 'ECONNECTION_TIMEOUT') {
    return {
      detail: `${detail} (no answer in ${Math.round(timeoutMs / 1000)} s)`,
      code: 'ETIMEDOUT',
      cause: `${address}:${port} did not answer within ${Math.round(timeoutMs / 1000)} s: a firewall drops the traffic (many networks and cloud providers block outgoing SMTP ports).`,
      fix: `Ask for outgoing TCP to ${address}:${port} to be allowed, or use the port your network permits (587 or 465).`,
    };
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return {
      detail,
      code,
      cause: `There is no network route from this machine to ${address}.`,
      fix: 'Check the network (routes, VPN, proxy-only network) between this machine and the mail server.',
    };
  }
  return {
    detail,
    code,
    cause: `Could not connect to ${address}:${port} (${code}).`,
    fix: `Check ${names.host}, ${names.port} and the network between this machine and the server.`,
  };
}

/** The TLS handshake itself failed (not the certificate check): usually the TLS mode does not fit the port. */
export function handshakeFailure(error: unknown, mode: SmtpTlsMode, port: number, names: SettingNames): StepFailure {
  const e = (error ?? {}) as SystemError;
  const problem = tlsProblem(e, names);
  const code = codeOf(error) ?? 'ETLS';
  const wrongMode = problem?.what.includes('does not speak TLS') ?? false;
  return {
    detail: `TLS handshake: ${e.message ?? code}`,
    code,
    cause: problem ? `${capitalize(problem.what)}.` : `The TLS handshake failed (${e.message ?? code}).`,
    fix: wrongMode
      ? `Set ${names.tls} to ${mode === 'implicit' && port !== 465 ? '"starttls" for this port' : '"implicit" for port 465, "starttls" for 587'}.`
      : (problem?.hint ?? `Check ${names.tls}, ${names.port} and ${names.ca}.`),
  };
}

/** No `220` greeting: the server is silent, slow, or speaks something else. */
export function greetingFailure(error: unknown, mode: SmtpTlsMode, port: number, names: SettingNames): StepFailure {
  const e = (error ?? {}) as SystemError;
  const code = codeOf(error) ?? 'EPROTOCOL';
  const said = e.response ? `: ${e.response}` : '';
  if (e.timeoutType === 'GREETING_TIMEOUT' || code === 'ETIMEDOUT') {
    return {
      detail: `no 220 greeting${said}`,
      code: 'ETIMEDOUT',
      cause:
        mode === 'implicit'
          ? 'The server accepted the connection but never greeted after TLS.'
          : `The server accepted the connection but never greeted: a port that expects TLS from the first byte (465) waits silently for a plain client.`,
      fix:
        mode === 'implicit'
          ? `Check ${names.port}: it may be a plain SMTP port (use "starttls" on 587).`
          : `Set ${names.tls} to "implicit" if port ${port} is a TLS port (465), or use port 587 with "starttls".`,
    };
  }
  return {
    detail: `greeting or EHLO failed${said || ` (${e.message ?? code})`}`,
    code: e.response ? replyCode(e.response) : code,
    cause: e.response
      ? `The server refused the session: ${e.response}`
      : `The server closed the session before it was set up (${e.message ?? code}).`,
    fix: `Check that ${names.host}:${port} is an SMTP submission server and that this machine's address is allowed to use it.`,
  };
}

/** `535 5.7.3` from `535 5.7.3 Authentication unsuccessful`. */
export function replyCode(response: string): string | undefined {
  return /^(\d{3})(?:[ -](\d\.\d{1,3}\.\d{1,3}))?/.exec(response.trim())?.slice(1).filter(Boolean).join(' ');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
