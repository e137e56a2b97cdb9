/**
 * What an admin should do for the Microsoft Entra (AADSTS) token errors seen with SMTP client credentials.
 * Source: ../shared/EXCHANGE.md. `configuration`: the app registration or token URL is wrong;
 * `authentication`: the secret itself is refused.
 */
export const ENTRA_ERRORS: Readonly<Record<string, { readonly failure: 'authentication' | 'configuration'; readonly hint: string }>> = {
  AADSTS7000215: {
    failure: 'authentication',
    hint: 'The client secret is invalid: paste the secret\'s Value from the app registration, not its Secret ID.',
  },
  AADSTS7000222: {
    failure: 'authentication',
    hint: 'The client secret has expired: create a new secret in the app registration and update Mailroom\'s configuration.',
  },
  AADSTS700016: {
    failure: 'configuration',
    hint: 'No application with this client id exists in this tenant: check the client id and the tenant in the token URL.',
  },
  AADSTS90002: {
    failure: 'configuration',
    hint: 'The tenant was not found: check the tenant id or domain in the token URL.',
  },
  AADSTS900023: {
    failure: 'configuration',
    hint: 'The tenant id in the token URL is malformed: use the directory (tenant) id GUID or the tenant\'s domain.',
  },
  AADSTS70011: {
    failure: 'configuration',
    hint: 'The scope is invalid: for SMTP with client credentials it must be https://outlook.office365.com/.default.',
  },
  AADSTS1002012: {
    failure: 'configuration',
    hint: 'The scope is invalid: for SMTP with client credentials it must be https://outlook.office365.com/.default.',
  },
  AADSTS500011: {
    failure: 'configuration',
    hint: 'The resource named by the scope is not in this tenant: use https://outlook.office365.com/.default and make sure Exchange Online is licensed.',
  },
};

/** The first `AADSTS…` code in a provider's error text, if any. */
export function entraCodeOf(text: string | undefined): string | undefined {
  return text === undefined ? undefined : /\bAADSTS\d+\b/.exec(text)?.[0];
}
