import type { Clock, UnsubscribeLinks, UnsubscribeScope } from '@mailroom/domain';
import { LinkBuilder } from '../templates/links';
import type { UnsubscribeTokens } from './unsubscribe-token';

/** Where the links point: the public handler's unsubscribe route, as a path on the base URL. */
export interface UnsubscribeLinkSettings {
  readonly baseUrl: string;
  /** e.g. `/unsubscribe`, or `/mail/unsubscribe` when the public handler is mounted under `/mail`. */
  readonly path: string;
  /** How long a link works after the mail was sent. */
  readonly validDays: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The one-click headers of RFC 8058: `List-Unsubscribe` with the HTTPS link holding a signed token, and
 * `List-Unsubscribe-Post`, which tells the mailbox provider to POST `List-Unsubscribe=One-Click` to that link
 * instead of opening it (so a link scanner's GET never unsubscribes). Reconfigured when an admin changes the links.
 */
export class SignedUnsubscribeLinks implements UnsubscribeLinks {
  private links: LinkBuilder;

  constructor(
    private readonly tokens: UnsubscribeTokens,
    private readonly clock: Clock,
    private settings: UnsubscribeLinkSettings,
  ) {
    this.links = new LinkBuilder(new URL(settings.baseUrl));
  }

  reconfigure(settings: UnsubscribeLinkSettings): void {
    this.links = new LinkBuilder(new URL(settings.baseUrl));
    this.settings = settings;
  }

  /** The link for a scope, valid for the configured days from now. */
  linkFor(scope: UnsubscribeScope): string {
    const token = this.tokens.sign(scope, new Date(this.clock.now().getTime() + this.settings.validDays * DAY_MS));
    return `${this.links.to(this.settings.path)}?token=${token}`;
  }

  headersFor(scope: UnsubscribeScope): Readonly<Record<string, string>> {
    return { 'List-Unsubscribe': `<${this.linkFor(scope)}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
  }
}
