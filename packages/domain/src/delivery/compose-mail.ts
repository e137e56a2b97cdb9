import type { DigestPayload } from '../digest';
import { MailroomError } from '../errors';
import type { KindRegistry } from '../kinds/kind-registry';
import { DIGEST_KIND } from '../kinds/payloads';
import type { OutgoingMail } from '../mail';
import type { Notification } from '../notification';
import type { TemplateRenderer } from '../ports/template-renderer';
import { unsubscribeScope, type UnsubscribeLinks } from '../recipients/unsubscribe';
import type { EmailAddress } from '../values/email-address';

/**
 * Builds the mail for a notification or a digest: the Message-ID is derived from the row's id, so every retry
 * carries the same one and receivers can drop duplicates; mails of a threaded kind (change requests) share
 * In-Reply-To/References so a ticketing system files them on one ticket. Every mail says it was sent by a machine
 * (`Auto-Submitted: auto-generated`, RFC 3834), so out-of-office and ticketing systems do not answer it; Exchange gets
 * its own header as well (see below). With `unsubscribe` (the host set a key), every mail a recipient may turn off
 * carries the one-click `List-Unsubscribe` headers (RFC 8058); mandatory kinds carry none.
 */
export async function composeMail(
  n: Notification,
  renderer: TemplateRenderer,
  kinds: KindRegistry,
  from: EmailAddress,
  unsubscribe?: UnsubscribeLinks,
): Promise<OutgoingMail> {
  let content;
  let threadKey: string | undefined;
  let ticketing = false;
  if (n.kind === DIGEST_KIND) {
    content = await renderer.renderDigest(n.recipient, n.payload as unknown as DigestPayload);
  } else {
    const kind = kinds.get(n.kind);
    if (!kind)
      throw new MailroomError(
        'NOTIFICATION.UNKNOWN_KIND',
        `Kind "${n.kind}" is no longer defined; define it again or retry after fixing the host's kinds.`,
      );
    content = await renderer.render(n);
    threadKey = kind.threadKey?.(n.payload);
    ticketing = kind.ticketing === true;
  }
  const scope = unsubscribe ? unsubscribeScope(n, kinds) : undefined;
  const listHeaders = scope ? unsubscribe?.headersFor(scope) : undefined;
  const thread = threadKey === undefined ? undefined : `${messageIdSafe(threadKey)}@${from.domain}`;
  return {
    messageId: `${n.id}@${from.domain}`,
    from,
    to: [n.recipient.email],
    subject: content.subject,
    html: content.html,
    text: content.text,
    headers: { ...(ticketing ? TO_TICKETING : AUTO_GENERATED), ...listHeaders },
    ...(thread !== undefined ? { inReplyTo: thread, references: [thread] } : {}),
  };
}

/**
 * Exchange answers with out-of-office and rule-based replies unless `X-Auto-Response-Suppress` says not to (it does not
 * read `Auto-Submitted`). Every mail suppresses those two; `All` would also suppress non-delivery reports, and the
 * bounce of a dead address is what tells the sending mailbox's admin to fix it. A mail to a ticketing mailbox (a kind
 * marked `ticketing`) suppresses `All`: any answer there, a delivery or read receipt too, becomes a ticket or a loop.
 */
const AUTO_GENERATED: Readonly<Record<string, string>> = Object.freeze({
  'Auto-Submitted': 'auto-generated',
  'X-Auto-Response-Suppress': 'OOF, AutoReply',
});
const TO_TICKETING: Readonly<Record<string, string>> = Object.freeze({ ...AUTO_GENERATED, 'X-Auto-Response-Suppress': 'All' });

// RFC 5322 dot-atom text: what may stand left of the @ in a Message-ID without quoting.
const ATOM = /[A-Za-z0-9!#$%&'*+/?^_`{|}~.-]/;

/**
 * A thread key comes from payload text (`INC 1234`, `<CR-7>`, `Ä-1`): anything outside dot-atom characters is
 * written as `=XX` (its UTF-8 bytes), so the id stays one valid token that receivers do not split.
 */
export function messageIdSafe(key: string): string {
  let out = '';
  for (const ch of key) {
    if (ATOM.test(ch) && ch !== '=') out += ch;
    else {
      const escaped = encodeURIComponent(ch); // UTF-8 bytes as %XX; a few ASCII marks stay as they are
      out += escaped.startsWith('%') ? escaped.replace(/%/g, '=') : `=${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out.replace(/^\.|\.$/g, '=2E').replace(/\.\./g, '.=2E');
}
