import { EXCHANGE_SCOPE, isEntraV2TokenUrl, knownResource, resourceOfScope } from '@mailroom/adapters';
import { EmailAddress, MailroomError } from '@mailroom/domain';
import type { ConfigIssue } from './load-config';
import type { MailroomConfig } from './schema';

const EXCHANGE_HOST = /(^|\.)(office365\.com|outlook\.com)$/i;

/**
 * Checks across settings that a schema alone cannot see, in an admin's words: each error names the
 * setting, what is wrong and the fix. Warnings are advice that does not stop Mailroom.
 */
export function checkConsistency(config: MailroomConfig): { errors: ConfigIssue[]; warnings: string[] } {
  const errors: ConfigIssue[] = [];
  const warnings: string[] = [];
  try {
    EmailAddress.parse(config.from.address, config.from.name, 'from.address');
  } catch (e) {
    errors.push({ setting: 'from.address', problem: (e as MailroomError).message });
  }
  const smtp = config.smtp;
  if (smtp) {
    const port = smtp.port;
    if (port === 465 && smtp.tls === 'starttls') {
      errors.push({
        setting: 'smtp.tls',
        problem: 'port 465 speaks TLS from the first byte; set smtp.tls to "implicit" (or use port 587 with "starttls")',
      });
    }
    if ((port === 587 || port === 25) && smtp.tls === 'implicit') {
      errors.push({
        setting: 'smtp.tls',
        problem: `port ${port} starts in plain text and upgrades with STARTTLS; set smtp.tls to "starttls" (or use port 465 with "implicit")`,
      });
    }
    if (smtp.ca !== undefined && smtp.caFile !== undefined) {
      errors.push({ setting: 'smtp.ca', problem: 'give the CA bundle once: as PEM text in smtp.ca or as a file in smtp.caFile, not both' });
    }
    if (smtp.tls === 'none' && smtp.auth.type !== 'none' && !smtp.allowInsecureAuth) {
      errors.push({
        setting: 'smtp.tls',
        problem:
          'credentials would travel unencrypted; use "starttls" or "implicit", or set smtp.allowInsecureAuth to true if this server is on a trusted network',
      });
    }
    const exchange = EXCHANGE_HOST.test(smtp.host);
    if (smtp.auth.type === 'oauth2') {
      const { tokenUrl, scope } = smtp.auth;
      // The token source's own list of Entra hosts (every cloud, login.microsoft.com and login.windows.net too).
      if (exchange && !isEntraV2TokenUrl(tokenUrl)) {
        errors.push({
          setting: 'smtp.auth.tokenUrl',
          problem: `${smtp.host} takes tokens from Microsoft Entra; the token URL must look like https://login.microsoftonline.com/<tenant id>/oauth2/v2.0/token (got ${tokenUrl})`,
        });
      }
      // By URL or by application id (00000003-0000-0000-c000-000000000000/.default is Graph too).
      const resource = scope === undefined ? undefined : knownResource(resourceOfScope(scope));
      if (scope !== undefined && resource !== undefined && !resource.exchange) {
        errors.push({ setting: 'smtp.auth.scope', problem: `"${scope}" is a ${resource.name} scope; SMTP needs ${EXCHANGE_SCOPE}` });
      } else if (scope !== undefined && /(^|\/)SMTP\.Send(AsApp)?$/i.test(scope)) {
        errors.push({
          setting: 'smtp.auth.scope',
          problem: `"${scope}" is a delegated permission name, not a client-credentials scope; use ${EXCHANGE_SCOPE}`,
        });
      }
      if (exchange && smtp.auth.username.toLowerCase() !== config.from.address.toLowerCase()) {
        warnings.push(
          `from.address (${config.from.address}) differs from the OAuth mailbox smtp.auth.username (${smtp.auth.username}): Exchange Online refuses it (554 5.2.252 SendAsDenied) unless the app has SendAs rights on ${config.from.address}.`,
        );
      }
    }
    if (exchange && smtp.auth.type === 'direct') {
      warnings.push(
        'Exchange Online has retired basic authentication for SMTP (550 5.7.30 / 535 5.7.139): use smtp.auth.type "oauth2" with an Entra app registration.',
      );
    }
    if (exchange && smtp.poolSize > 3) {
      warnings.push(`smtp.poolSize ${smtp.poolSize} exceeds Exchange Online's 3 connections per mailbox (432 4.3.2); use 3 or fewer.`);
    }
  }
  return { errors, warnings };
}
