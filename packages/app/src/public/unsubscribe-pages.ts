import { createHash } from 'node:crypto';
import type { UnsubscribeScope } from '@mailroom/domain';
import { html, raw, type SafeHtml } from '../console/html';

/** The pages' only style, allowed by its hash: the CSP allows no other style, no script, no frame, no image. */
const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1f2328}' +
  'button{font:inherit;padding:.5rem 1rem;border:1px solid #1f2328;border-radius:6px;background:#fff;cursor:pointer}' +
  'p.note{color:#59636e}';

/**
 * No script at all, no resource from anywhere, forms only back to this origin, never framed (clickjacking a one-click
 * button), and no Referer: the token in the URL must not travel to the preferences page or anywhere else.
 */
export const PUBLIC_PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
});

/** What the mail stops, in the recipient's words. */
export function whatStops(scope: UnsubscribeScope): string {
  if (scope.topic !== undefined) return `e-mails about ${scope.topic}`;
  const names = scope.kinds.map((kind) => kind.replace(/[-.]/g, ' '));
  return `${names.join(', ')} e-mails`;
}

/** GET: what will stop, a button that sends the one-click POST, and the way to the preferences instead. */
export function confirmPage(scope: UnsubscribeScope, action: string, preferencesUrl: string | undefined): SafeHtml {
  return page(
    'Unsubscribe',
    html`<h1>Unsubscribe</h1>
      <p>Stop ${whatStops(scope)} to <strong>${scope.address}</strong>?</p>
      <form method="post" action="${action}">
        <input type="hidden" name="List-Unsubscribe" value="One-Click" />
        <button type="submit">Unsubscribe</button>
      </form>
      ${preferencesLink(preferencesUrl, 'Or choose what you receive, and how often, on your notification preferences page.')}`,
  );
}

/** After the POST: done (and how to undo it). */
export function donePage(scope: UnsubscribeScope, preferencesUrl: string | undefined): SafeHtml {
  return page(
    'Unsubscribed',
    html`<h1>Unsubscribed</h1>
      <p>${scope.address} no longer receives ${whatStops(scope)}.</p>
      ${preferencesLink(preferencesUrl, 'Changed your mind? Turn them on again on your notification preferences page.')}`,
  );
}

/** A refusal: why, and what to do. Nothing was changed. */
export function refusalPage(title: string, message: string, preferencesUrl: string | undefined): SafeHtml {
  return page(
    title,
    html`<h1>${title}</h1>
      <p>${message}</p>
      <p class="note">Nothing was changed.</p>
      ${preferencesLink(preferencesUrl, 'You can choose what you receive on your notification preferences page.')}`,
  );
}

function preferencesLink(url: string | undefined, text: string): SafeHtml {
  return url === undefined ? html`` : html`<p class="note"><a href="${url}">${text}</a></p>`;
}

function page(title: string, body: SafeHtml): SafeHtml {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title}</title>
        <style>
          ${raw(STYLE)}
        </style>
      </head>
      <body>
        ${body}
      </body>
    </html>`;
}
