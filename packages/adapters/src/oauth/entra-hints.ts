import type { TokenSettingNames } from './token-setting-names';

const EXCHANGE_SCOPE = 'https://outlook.office365.com/.default';

/**
 * What an admin should do for the Microsoft Entra (AADSTS) token errors seen with SMTP client credentials.
 * Source: docs/exchange-online.md (the failures and their fixes, for admins). `configuration`: the app registration or token URL is wrong;
 * `authentication`: the secret itself is refused. Each hint names the setting to change.
 */
export const ENTRA_ERRORS: Readonly<
  Record<
    string,
    { readonly failure: 'authentication' | 'configuration'; readonly meaning: string; readonly hint: (names: TokenSettingNames) => string }
  >
> = {
  AADSTS7000215: {
    meaning: "invalid client secret (often the secret's ID was pasted instead of its value)",
    failure: 'authentication',
    hint: (n) => `The client secret is invalid: put the secret's Value from the app registration in ${n.clientSecret}, not its Secret ID.`,
  },
  AADSTS7000222: {
    meaning: 'the client secret has expired',
    failure: 'authentication',
    hint: (n) => `The client secret has expired: create a new secret in the app registration and put its Value in ${n.clientSecret}.`,
  },
  AADSTS700016: {
    meaning: 'the application (client id) was not found in this tenant',
    failure: 'configuration',
    hint: (n) => `No application with this client id exists in this tenant: check ${n.clientId} and the tenant in ${n.tokenUrl}.`,
  },
  AADSTS90002: {
    meaning: 'the tenant was not found',
    failure: 'configuration',
    hint: (n) => `The tenant was not found: check the tenant id or domain in ${n.tokenUrl}.`,
  },
  AADSTS900023: {
    meaning: 'the tenant id in the token URL is malformed',
    failure: 'configuration',
    hint: (n) => `The tenant id in ${n.tokenUrl} is malformed: use the directory (tenant) id GUID or the tenant's domain.`,
  },
  AADSTS70011: {
    meaning: 'invalid scope',
    failure: 'configuration',
    hint: (n) => `The scope is invalid: for SMTP with client credentials set ${n.scope} to ${EXCHANGE_SCOPE}.`,
  },
  AADSTS1002012: {
    meaning: 'invalid scope',
    failure: 'configuration',
    hint: (n) => `The scope is invalid: for SMTP with client credentials set ${n.scope} to ${EXCHANGE_SCOPE}.`,
  },
  AADSTS500011: {
    meaning: 'the resource principal named by the scope was not found in the tenant',
    failure: 'configuration',
    hint: (n) =>
      `The resource named by ${n.scope} is not in this tenant: set it to ${EXCHANGE_SCOPE} and make sure Exchange Online is licensed.`,
  },
};

/** The first `AADSTS…` code in a provider's error text, if any. */
export function entraCodeOf(text: string | undefined): string | undefined {
  return text === undefined ? undefined : /\bAADSTS\d+\b/.exec(text)?.[0];
}
