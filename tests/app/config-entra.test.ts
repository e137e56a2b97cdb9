import { ENTRA_HOSTS, isMicrosoftTokenUrl } from '../../packages/adapters/src/oauth/microsoft-token-url';
import { ConfigError } from '@mailroom/app';
import { parseConfig } from '../../packages/app/src/config/load-config';

/** The configuration check and the token source agree on what Entra is, and on which scopes are not for SMTP. */
describe('configuration: Microsoft Entra token URLs and scopes', () => {
  const TENANT = '0f5d9e0e-1111-2222-3333-444455556666';
  const exchange = (auth: Record<string, unknown>) => ({
    from: { address: 'noreply@contoso.com' },
    smtp: {
      host: 'smtp.office365.com',
      port: 587,
      tls: 'starttls',
      auth: {
        type: 'oauth2',
        username: 'noreply@contoso.com',
        tokenUrl: `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`,
        clientId: 'c1',
        clientSecret: 'client-secret-value',
        ...auth,
      },
    },
  });
  const problems = (input: unknown): string[] => {
    try {
      parseConfig(input);
      return [];
    } catch (e) {
      if (e instanceof ConfigError) return e.issues.map((i) => `${i.setting}: ${i.problem}`);
      throw e;
    }
  };

  it.each(['login.microsoft.com', 'login.windows.net', 'login.microsoftonline.us', 'login.partner.microsoftonline.cn'])(
    'with host smtp.office365.com accepts a token URL on %s, an Entra host the token source accepts too',
    (host) => {
      const tokenUrl = `https://${host}/${TENANT}/oauth2/v2.0/token`;
      expect(isMicrosoftTokenUrl(tokenUrl)).toBe(true);
      expect(problems(exchange({ tokenUrl }))).toEqual([]);
    },
  );

  it('every Entra host of the token source passes the configuration check: one list', () => {
    for (const host of ENTRA_HOSTS) expect(problems(exchange({ tokenUrl: `https://${host}/${TENANT}/oauth2/v2.0/token` }))).toEqual([]);
  });

  it('still refuses a token URL that is not Entra for Exchange Online', () => {
    expect(problems(exchange({ tokenUrl: 'https://login.example.com/contoso/oauth2/v2.0/token' }))).toEqual([
      expect.stringMatching(/^smtp\.auth\.tokenUrl: smtp\.office365\.com takes tokens from Microsoft Entra/),
    ]);
  });

  it.each([
    '00000003-0000-0000-c000-000000000000/.default',
    'https://graph.microsoft.com/.default',
    'https://graph.microsoft.com/Mail.Send',
  ])('flags the Microsoft Graph scope %s, by URL or by application id', (scope) => {
    expect(problems(exchange({ scope }))).toEqual([
      `smtp.auth.scope: "${scope}" is a Microsoft Graph scope; SMTP needs https://outlook.office365.com/.default`,
    ]);
  });

  it.each(['https://outlook.office365.com/.default', '00000002-0000-0ff1-ce00-000000000000/.default'])(
    'accepts the Exchange Online scope %s',
    (scope) => {
      expect(problems(exchange({ scope }))).toEqual([]);
    },
  );
});
