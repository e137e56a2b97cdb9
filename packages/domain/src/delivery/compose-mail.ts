import type { DigestPayload } from '../digest';
import { MailroomError } from '../errors';
import type { KindRegistry } from '../kinds/kind-registry';
import { DIGEST_KIND } from '../kinds/payloads';
import type { OutgoingMail } from '../mail';
import type { Notification } from '../notification';
import type { TemplateRenderer } from '../ports/template-renderer';
import type { EmailAddress } from '../values/email-address';

/**
 * Builds the mail for a notification or a digest: the Message-ID is derived from the row's id, so every retry
 * carries the same one and receivers can drop duplicates; mails of a threaded kind (change requests) share
 * In-Reply-To/References so a ticketing system files them on one ticket.
 */
export async function composeMail(n: Notification, renderer: TemplateRenderer, kinds: KindRegistry, from: EmailAddress): Promise<OutgoingMail> {
  let content;
  let threadKey: string | undefined;
  if (n.kind === DIGEST_KIND) {
    content = await renderer.renderDigest(n.recipient, n.payload as unknown as DigestPayload);
  } else {
    const kind = kinds.get(n.kind);
    if (!kind) throw new MailroomError('NOTIFICATION.UNKNOWN_KIND', `Kind "${n.kind}" is no longer defined; define it again or retry after fixing the host's kinds.`);
    content = await renderer.render(n);
    threadKey = kind.threadKey?.(n.payload);
  }
  const thread = threadKey === undefined ? undefined : `${threadKey}@${from.domain}`;
  return {
    messageId: `${n.id}@${from.domain}`,
    from,
    to: [n.recipient.email],
    subject: content.subject,
    html: content.html,
    text: content.text,
    ...(thread !== undefined ? { inReplyTo: thread, references: [thread] } : {}),
  };
}
