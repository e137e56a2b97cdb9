import type { FieldSpec } from '../setting-field';

export const SERVER_FIELDS: readonly FieldSpec[] = [
  { path: 'smtp.host', label: 'Host', input: 'text', help: 'The SMTP server, without scheme or port, e.g. smtp.office365.com.' },
  { path: 'smtp.port', label: 'Port', input: 'number', help: 'Empty: the port the TLS mode implies.' },
  {
    path: 'smtp.tls',
    label: 'TLS',
    input: 'select',
    shown: 'starttls',
    options: [
      { value: 'starttls', label: 'STARTTLS (port 587)' },
      { value: 'implicit', label: 'Implicit TLS (port 465)' },
      { value: 'none', label: 'None (port 25; only for a local relay)' },
    ],
    help: 'STARTTLS: plain text first, then a required upgrade (587). Implicit TLS: encrypted from the first byte (465). None: nothing encrypted (25).',
  },
  {
    path: 'smtp.allowInsecureAuth',
    label: 'Allow login without TLS',
    input: 'checkbox',
    shown: 'false',
    help: 'Only for a server on a trusted network: with TLS none, the password or token travels unencrypted.',
  },
  {
    path: 'smtp.poolSize',
    label: 'Connections',
    input: 'number',
    shown: '3',
    help: 'Connections kept open to the server (Exchange Online allows 3 per mailbox).',
  },
  {
    path: 'smtp.rateLimitPerMinute',
    label: 'Mails a minute',
    input: 'number',
    help: 'Across all nodes; empty: no limit (Exchange Online allows 30 a minute per mailbox).',
  },
];

export const SENDER_FIELDS: readonly FieldSpec[] = [
  { path: 'from.address', label: 'From address', input: 'email', help: 'For Exchange Online: the sending mailbox itself.' },
  { path: 'from.name', label: 'From name', input: 'text', help: 'The display name recipients see, e.g. "Identity Portal".' },
];

export const AUTH_TYPE_FIELD: FieldSpec = {
  path: 'smtp.auth.type',
  label: 'Authentication',
  input: 'select',
  shown: 'none',
  options: [
    { value: 'none', label: 'None' },
    { value: 'direct', label: 'Direct (user name and password)' },
    { value: 'oauth2', label: 'OAuth2 (client credentials, XOAUTH2)' },
  ],
};

export const DIRECT_FIELDS: readonly FieldSpec[] = [
  { path: 'smtp.auth.username', name: 'direct.username', label: 'User name', input: 'text', authType: 'direct' },
  { path: 'smtp.auth.password', label: 'Password', input: 'password', authType: 'direct' },
  {
    path: 'smtp.auth.mechanism',
    label: 'Mechanism',
    input: 'select',
    shown: 'auto',
    authType: 'direct',
    options: [
      { value: 'auto', label: 'Automatic (what the server offers)' },
      { value: 'PLAIN', label: 'PLAIN' },
      { value: 'LOGIN', label: 'LOGIN' },
      { value: 'CRAM-MD5', label: 'CRAM-MD5' },
    ],
  },
];

export const OAUTH2_FIELDS: readonly FieldSpec[] = [
  {
    path: 'smtp.auth.tokenUrl',
    label: 'Token URL',
    input: 'url',
    authType: 'oauth2',
    help: 'Microsoft Entra: https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token (the tenant field below fills it).',
  },
  {
    path: 'smtp.auth.clientId',
    label: 'Client id',
    input: 'text',
    authType: 'oauth2',
    help: "The app registration's Application (client) id.",
  },
  {
    path: 'smtp.auth.clientSecret',
    label: 'Client secret',
    input: 'password',
    authType: 'oauth2',
    help: "The secret's Value from the app registration, not its Secret ID.",
  },
  {
    path: 'smtp.auth.scope',
    label: 'Scope',
    input: 'text',
    authType: 'oauth2',
    help: 'Exchange Online: https://outlook.office365.com/.default',
  },
  {
    path: 'smtp.auth.username',
    name: 'oauth2.username',
    label: 'Sending mailbox',
    input: 'email',
    authType: 'oauth2',
    help: 'The mailbox the app sends as (the XOAUTH2 user).',
  },
];

/** Every setting field of the mail server page. */
export const MAIL_SERVER_FIELDS: readonly FieldSpec[] = [
  ...SERVER_FIELDS,
  ...SENDER_FIELDS,
  AUTH_TYPE_FIELD,
  ...DIRECT_FIELDS,
  ...OAUTH2_FIELDS,
];

/** The fields a form posts for one authentication type (the others' are ignored, whatever was posted). */
export function fieldsFor(authType: string): FieldSpec[] {
  return MAIL_SERVER_FIELDS.filter((f) => f.authType === undefined || f.authType === authType);
}

/** The form field of the Microsoft tenant, which fills `<tenant>` in the token URL; not a setting. */
export const TENANT_FIELD = 'exchange.tenant';

/** Microsoft Entra's token URL, with the tenant to fill in. */
export const ENTRA_TOKEN_URL = 'https://login.microsoftonline.com/<tenant>/oauth2/v2.0/token';

/** What the Exchange Online preset fills in (the page's script does the same in the browser). */
export const EXCHANGE_PRESET: Readonly<Record<string, string>> = {
  'smtp.host': 'smtp.office365.com',
  'smtp.port': '587',
  'smtp.tls': 'starttls',
  'smtp.auth.type': 'oauth2',
  'smtp.auth.scope': 'https://outlook.office365.com/.default',
  'smtp.auth.tokenUrl': ENTRA_TOKEN_URL,
  'smtp.rateLimitPerMinute': '30',
  'smtp.poolSize': '3',
};

/** The token URL with the tenant put in for `<tenant>` (the tenant is URL-encoded: it cannot change the URL's shape). */
export function withTenant(tokenUrl: string, tenant: string): string {
  return tenant.trim() === '' ? tokenUrl : tokenUrl.replace('<tenant>', encodeURIComponent(tenant.trim()));
}
