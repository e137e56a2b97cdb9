import { MailroomError } from '@mailroom/domain';
import { isLinkPath } from './links';
import { hasControlCharacters } from './text-tools';

/** Where templates override or add to the built-in ones. Both may be given; in-code templates win over files. */
export interface TemplateOverrides {
  /**
   * A directory of `.eta` files named `<kind>.<part>.eta` (see `template-names.ts`), e.g.
   * `user-invite.subject.eta`, `acme.report-ready.html.eta`, `_layout.html.eta`. Read once, at start-up.
   */
  readonly directory?: string;
  /** Templates by name without `.eta`, e.g. `{ 'user-invite.subject': 'Join <%= it.payload.accountName %>' }`. */
  readonly templates?: Readonly<Record<string, string>>;
  /** Templates admins saved at run time (the admin API), by name: they win over the directory and `templates`. */
  readonly stored?: Readonly<Record<string, string>>;
  /**
   * A sample payload per host-defined kind: its templates are rendered once with it at start-up, so a template
   * that fails at run time (a misspelt field) is reported before any mail is sent. Built-in kinds have samples.
   */
  readonly samples?: Readonly<Record<string, Record<string, unknown>>>;
  /**
   * Every kind a template may be for (the built-in kinds and the host's); `digest` and the shared templates always
   * may. When given, a template for any other kind is refused: a misspelt kind (`user-invtie.subject`) would
   * otherwise never be used, and its mails would go out with the built-in templates.
   */
  readonly kinds?: readonly string[];
  /**
   * How errors name where overrides come from, so they point at the setting an admin changes (the app passes
   * `templates.directory (MAILROOM_TEMPLATES_DIR)`). Default `overrides.directory` and `overrides.templates`.
   */
  readonly names?: { readonly directory?: string; readonly templates?: string; readonly stored?: string };
}

export interface TemplateLinkSettings {
  /** The address users reach (e.g. the load balancer), http or https; a path prefix is kept: `https://lb.example.com/idm/`. */
  readonly baseUrl: string;
  /**
   * The host's page listing a user's notifications. When given, digests link to it ("Open your notifications", "see
   * them all") and digest items without a link of their own point there; when not, mails offer no such link. Default none.
   */
  readonly notificationsPath?: string;
  /** Where a user manages their subscriptions; when given, every mail's footer links to it. */
  readonly preferencesPath?: string;
}

/** Settings of `EtaTemplateRenderer`; `packages/app` builds them from the validated configuration. */
export interface TemplateSettings {
  readonly links: TemplateLinkSettings;
  /** Put before every subject, e.g. `[IDM] `; a space is added when it does not end with one. Default none. */
  readonly subjectPrefix?: string;
  /** The host's product, named in every mail's header and footer (`Acme IDM`). Default none: the mails name no product. */
  readonly productName?: string;
  /** One line at the foot of every mail, e.g. `Acme Corp · Internal use only`. Default none. */
  readonly footer?: string;
  /** BCP 47 tag for dates and numbers in the built-in (English) templates. Default `en-GB`. */
  readonly locale?: string;
  readonly overrides?: TemplateOverrides;
}

/** Settings with defaults applied and checked. */
export interface ResolvedTemplateSettings {
  readonly baseUrl: URL;
  readonly notificationsPath: string | undefined;
  readonly preferencesPath: string | undefined;
  readonly subjectPrefix: string;
  readonly productName: string | undefined;
  readonly footer: string | undefined;
  readonly locale: string;
  readonly overrides: TemplateOverrides;
}

/** Applies defaults; throws `MailroomError` (`CONFIG.*`) saying which setting is wrong and how to fix it. */
export function resolveTemplateSettings(settings: TemplateSettings): ResolvedTemplateSettings {
  const baseUrl = parseBaseUrl(settings.links?.baseUrl);
  const notificationsPath = optionalPath(settings.links.notificationsPath, 'links.notificationsPath');
  const preferencesPath = optionalPath(settings.links.preferencesPath, 'links.preferencesPath');
  const prefix = oneLineSetting(settings.subjectPrefix ?? '', 'subjectPrefix');
  const locale = settings.locale ?? 'en-GB';
  try {
    new Intl.DateTimeFormat(locale);
  } catch (cause) {
    throw new MailroomError('CONFIG.TEMPLATES', `templates.locale "${locale}" is not a language tag such as "en-GB".`, { cause });
  }
  return {
    baseUrl,
    notificationsPath,
    preferencesPath,
    subjectPrefix: prefix === '' || prefix.endsWith(' ') ? prefix : `${prefix} `,
    productName: optionalLine(settings.productName, 'productName'),
    footer: optionalLine(settings.footer, 'footer'),
    locale,
    overrides: settings.overrides ?? {},
  };
}

function parseBaseUrl(value: unknown): URL {
  const fix =
    'Set links.baseUrl to the address users open in their browser, e.g. "https://idm.example.com/" or "https://lb.example.com/idm/".';
  if (typeof value !== 'string' || value.trim() === '') {
    throw new MailroomError('CONFIG.LINKS_BASE_URL', `links.baseUrl is missing. ${fix}`);
  }
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch (cause) {
    throw new MailroomError('CONFIG.LINKS_BASE_URL', `links.baseUrl "${value}" is not a URL. ${fix}`, { cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new MailroomError(
      'CONFIG.LINKS_BASE_URL',
      `links.baseUrl "${value}" uses ${url.protocol.slice(0, -1)}; mail links must be http or https. ${fix}`,
    );
  }
  if (url.username !== '' || url.password !== '') {
    // Every recipient would see the credentials in the links.
    throw new MailroomError('CONFIG.LINKS_BASE_URL', `links.baseUrl must not contain a user name or password. ${fix}`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new MailroomError(
      'CONFIG.LINKS_BASE_URL',
      `links.baseUrl "${value}" has a query or fragment, which links cannot be built on. ${fix}`,
    );
  }
  return url;
}

function optionalPath(value: string | undefined, setting: string): string | undefined {
  if (value === undefined) return undefined;
  if (!isLinkPath(value)) {
    throw new MailroomError(
      'CONFIG.TEMPLATES',
      `${setting} must be a path starting with "/" such as "/notifications" (got ${JSON.stringify(value)}).`,
    );
  }
  return value;
}

/** Blank counts as not given: an admin clears a setting by emptying it. */
function optionalLine(value: string | undefined, setting: string): string | undefined {
  if (value === undefined) return undefined;
  const line = oneLineSetting(value, setting).trim();
  return line === '' ? undefined : line;
}

function oneLineSetting(value: string, setting: string): string {
  if (typeof value !== 'string' || hasControlCharacters(value)) {
    throw new MailroomError('CONFIG.TEMPLATES', `${setting} must be one line of text without control characters.`);
  }
  return value;
}
