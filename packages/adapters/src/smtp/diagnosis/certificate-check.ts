import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { StepFailure } from './diagnosis-step';
import type { SettingNames } from './setting-names';

const SELF_SIGNED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN']);
const UNKNOWN_CA = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);
const EXPIRED = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const NAME_MISMATCH = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH']);

/** `TLSv1.3, certificate CN=mail.example.com (names: …) issued by CN=…, valid until …`. */
export function describeTls(socket: TLSSocket): string {
  const cert = socket.getPeerCertificate();
  const protocol = socket.getProtocol() ?? 'TLS';
  if (!cert || Object.keys(cert).length === 0) return `${protocol}, no server certificate`;
  const names = namesOf(cert);
  return `${protocol}, certificate ${nameOf(cert.subject)}${names.length ? ` (names: ${names.join(', ')})` : ''} issued by ${nameOf(cert.issuer)}, valid until ${new Date(cert.valid_to).toISOString().slice(0, 10)}`;
}

/**
 * Why the certificate was not accepted, in an admin's words, or undefined when it was.
 * The handshake ran without rejecting, so the certificate is at hand to name; the caller closes
 * the connection before anything else is sent.
 */
export function certificateProblem(socket: TLSSocket, expectedName: string, names: SettingNames): StepFailure | undefined {
  if (socket.authorized) return undefined;
  const code = String(socket.authorizationError ?? 'UNKNOWN');
  const cert = socket.getPeerCertificate();
  const detail = describeTls(socket);
  const subject = cert && Object.keys(cert).length > 0 ? nameOf(cert.subject) : 'the server certificate';
  if (SELF_SIGNED.has(code)) {
    return {
      detail,
      code,
      cause: `The server certificate (${subject}) is self-signed${code === 'SELF_SIGNED_CERT_IN_CHAIN' ? ' at the root of its chain' : ''}, and this machine does not trust it.`,
      fix: `If this is the right server, trust it explicitly: put its CA certificate (PEM) in ${names.ca}. Otherwise give the server a certificate from a CA this machine trusts.`,
    };
  }
  if (UNKNOWN_CA.has(code)) {
    return {
      detail,
      code,
      cause: `The server certificate (${subject}) was issued by ${cert ? nameOf(cert.issuer) : 'a CA'}, which this machine does not know (a company CA or a TLS-inspecting proxy).`,
      fix: `Put the PEM certificate of the issuing CA in ${names.ca}.`,
    };
  }
  if (EXPIRED.has(code)) {
    return {
      detail,
      code,
      cause: `The server certificate (${subject}) ${code === 'CERT_HAS_EXPIRED' ? `expired on ${new Date(cert.valid_to).toISOString().slice(0, 10)}` : `is not valid before ${new Date(cert.valid_from).toISOString().slice(0, 10)}`}.`,
      fix: "Ask the mail server's administrator to renew its certificate (or check this machine's clock).",
    };
  }
  if (NAME_MISMATCH.has(code)) {
    const listed = cert ? namesOf(cert) : [];
    return {
      detail,
      code,
      cause: `The server certificate is for ${listed.length ? listed.join(', ') : subject}, not for ${expectedName}, the name Mailroom connects to.`,
      fix: listed.length
        ? `Set ${names.host} to ${listed[0]}, or set ${names.servername} to ${listed[0]} if ${expectedName} is the right address for that server.`
        : `Set ${names.host} or ${names.servername} to the name in the certificate.`,
    };
  }
  return {
    detail,
    code,
    cause: `The server certificate was not accepted (${code}).`,
    fix: `Check the certificate chain the server sends, and ${names.ca} if it uses a private CA.`,
  };
}

function nameOf(entity: PeerCertificate['subject'] | undefined): string {
  const cn = entity?.CN;
  const value = Array.isArray(cn) ? cn[0] : cn;
  return value ? `CN=${value}` : 'an unnamed entity';
}

function namesOf(cert: PeerCertificate): string[] {
  return (cert.subjectaltname ?? '')
    .split(/,\s*/)
    .map((n) => n.replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean);
}
