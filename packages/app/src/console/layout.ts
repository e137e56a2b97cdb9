import { CSRF_FIELD } from './console-csrf';
import type { ConsoleContext } from './console-page';
import { html, type SafeHtml } from './html';

/** The console's pages, in the order of the navigation; `shown` hides an entry that does not apply to this Mailroom. */
export const NAVIGATION: readonly { readonly path: string; readonly label: string; readonly shown?: (ctx: ConsoleContext) => boolean }[] = [
  { path: '/mail-server', label: 'Mail server' },
  { path: '/notifications', label: 'Notifications' },
  { path: '/templates', label: 'Templates' },
  { path: '/outbox', label: 'Outbox' },
  { path: '/caught', label: 'Caught mail', shown: (ctx) => ctx.backend.caughtMail !== undefined },
  { path: '/audit', label: 'Audit' },
];

/** Messages a redirect may ask a page to show (`?notice=saved`): fixed texts, so no URL can put words on the page. */
const NOTICES: Record<string, { readonly text: string; readonly kind: 'ok' | 'info' }> = {
  saved: { text: 'Saved. Every node uses the new settings within about a second.', kind: 'ok' },
  reset: { text: 'Reset: the value from the configuration file or the default applies again.', kind: 'ok' },
  'template-saved': { text: 'Template saved: the next mail uses it.', kind: 'ok' },
  'template-reset': { text: 'Template reset to the built-in (or file, or host) text.', kind: 'ok' },
  retried: { text: 'Sent back to the outbox with fresh attempts.', kind: 'ok' },
};

export interface PageOptions {
  readonly title: string;
  /** The navigation entry to mark as current. */
  readonly nav: string;
  readonly body: SafeHtml;
  /** Page scripts besides the shared one, by asset name (`mail-server` → `assets/mail-server.js`). */
  readonly scripts?: readonly string[];
}

/** A whole console page: header with the navigation, the notice a redirect asked for, the body, the scripts. */
export function consolePage(ctx: ConsoleContext, options: PageOptions): SafeHtml {
  const notice = NOTICES[ctx.hono.req.query('notice') ?? ''];
  const asset = (name: string) => `${ctx.root}/assets/${name}`;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="icon" href="data:," />
        <title>${options.title} · Mailroom</title>
        <link rel="stylesheet" href="${asset('console.css')}" />
      </head>
      <body>
        <header>
          <span class="brand">Mailroom</span>
          <nav aria-label="Console">
            <ul>
              ${NAVIGATION.filter((item) => item.shown?.(ctx) ?? true).map(
                (item) =>
                  html`<li>
                    <a href="${ctx.root}${item.path}" ${item.path === options.nav ? html` aria-current="page"` : ''}>${item.label}</a>
                  </li>`,
              )}
            </ul>
          </nav>
          <span class="muted">${ctx.identity.id}</span>
        </header>
        <main>
          <h1>${options.title}</h1>
          ${notice ? html`<p class="notice ${notice.kind}" role="status">${notice.text}</p>` : ''} ${options.body}
        </main>
        <script src="${asset('console.js')}"></script>
        ${(options.scripts ?? []).map((name) => html`<script src="${asset(`${name}.js`)}"></script>`)}
      </body>
    </html>`;
}

/** The hidden field every form carries. */
export function csrfField(ctx: ConsoleContext): SafeHtml {
  return html`<input type="hidden" name="${CSRF_FIELD}" value="${ctx.csrf}" />`;
}

/** A page for a refusal or an error: the reason in words, nothing else. */
export function messagePage(title: string, message: string): SafeHtml {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${title} · Mailroom</title>
      </head>
      <body>
        <main>
          <h1>${title}</h1>
          <p>${message}</p>
        </main>
      </body>
    </html>`;
}
