/**
 * Which API a Microsoft scope or token is for. SMTP takes only tokens for Exchange Online; the usual
 * mistake is a Microsoft Graph scope, written by URL or by application id
 * (`00000003-0000-0000-c000-000000000000/.default`), and Entra then issues a Graph token that Exchange
 * refuses with a bare 535.
 */
export const EXCHANGE_SCOPE = 'https://outlook.office365.com/.default';

// Resource identifiers (audience, or scope without its permission) per API, every cloud.
const RESOURCES: readonly { readonly name: string; readonly exchange: boolean; readonly ids: readonly string[] }[] = [
  {
    name: 'Exchange Online',
    exchange: true,
    ids: [
      'https://outlook.office365.com',
      'https://outlook.office.com',
      '00000002-0000-0ff1-ce00-000000000000',
      'https://outlook.office365.us',
      'https://partner.outlook.cn',
    ],
  },
  {
    name: 'Microsoft Graph',
    exchange: false,
    ids: [
      'https://graph.microsoft.com',
      '00000003-0000-0000-c000-000000000000',
      'https://graph.microsoft.us',
      'https://dod-graph.microsoft.us',
      'https://microsoftgraph.chinacloudapi.cn',
    ],
  },
];

/** The resource part of a scope: `https://outlook.office365.com/.default` → `https://outlook.office365.com`. */
export function resourceOfScope(scope: string): string {
  const trimmed = scope.trim();
  // A bare permission (`SMTP.Send`) or a resource without a permission (`https://outlook.office365.com`): the whole string.
  if (!trimmed.includes('/') || /^[a-z][a-z0-9+.-]*:\/\/[^/]*\/?$/i.test(trimmed)) return normalize(trimmed);
  return normalize(trimmed.slice(0, trimmed.lastIndexOf('/')));
}

/** The API named by a resource or audience (`Microsoft Graph`), when it is one of the known ones. */
export function knownResource(resource: string): { readonly name: string; readonly exchange: boolean } | undefined {
  const id = normalize(resource);
  const found = RESOURCES.find((r) => r.ids.includes(id));
  return found === undefined ? undefined : { name: found.name, exchange: found.exchange };
}

/** True for an audience or resource of Exchange Online (any cloud). */
export function isExchangeResource(resource: string): boolean {
  return knownResource(resource)?.exchange === true;
}

function normalize(id: string): string {
  return id.trim().replace(/\/+$/, '').toLowerCase();
}
