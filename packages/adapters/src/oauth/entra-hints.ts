/**
 * What an admin should do for the Microsoft Entra (AADSTS) token errors seen with SMTP client credentials.
 * Source: ../shared/EXCHANGE.md. `configuration`: the app registration or token URL is wrong;
 * `authentication`: the secret itself is refused.
 */
export const ENTRA_ERRORS: Readonly<Record<string, { readonly failure: 'authentication' | 'configuration'; readonly meaning: string; readonly hint: string }>> = {
  AADSTS7000215: {
    meaning: "invalid client secret (often the secret's ID was pasted instead of its value)",
    failure: 'authentication',
    hint: 'The client secret is invalid: paste the secret\'s Value from the app registration, not its Secret ID.',
  },
  AADSTS7000222: {
    meaning: 'the client secret has expired',
    failure: 'authentication',
    hint: 'The client secret has expired: create a new secret in the app registration and update Mailroom\'s configuration.',
  },
  AADSTS700016: {
    meaning: 'the application (client id) was not found in this tenant',
    failure: 'configuration',
    hint: 'No application with this client id exists in this tenant: check the client id and the tenant in the token URL.',
  },
  AADSTS90002: {
    meaning: 'the tenant was not found',
    failure: 'configuration',
    hint: 'The tenant was not found: check the tenant id or domain in the token URL.',
  },
  AADSTS900023: {
    meaning: 'the tenant id in the token URL is malformed',
    failure: 'configuration',
    hint: 'The tenant id in the token URL is malformed: use the directory (tenant) id GUID or the tenant\'s domain.',
  },
  AADSTS70011: {
    meaning: 'invalid scope',
    failure: 'configuration',
    hint: 'The scope is invalid: for SMTP with client credentials it must be https://outlook.office365.com/.default.',
  },
  AADSTS1002012: {
    meaning: 'invalid scope',
    failure: 'configuration',
    hint: 'The scope is invalid: for SMTP with client credentials it must be https://outlook.office365.com/.default.',
  },
  AADSTS500011: {
    meaning: 'the resource principal named by the scope was not found in the tenant',
    failure: 'configuration',
    hint: 'The resource named by the scope is not in this tenant: use https://outlook.office365.com/.default and make sure Exchange Online is licensed.',
  },
};

/** The first `AADSTS…` code in a provider's error text, if any. */
export function entraCodeOf(text: string | undefined): string | undefined {
  return text === undefined ? undefined : /\bAADSTS\d+\b/.exec(text)?.[0];
}
