import type { DigestPayload, Notification, Recipient, RenderedMail, TemplateRenderer } from '@mailroom/domain';
import { MailroomError } from '@mailroom/domain';

/**
 * A small working renderer for tests of the core: subject and bodies name the kind and payload,
 * and it can be told to fail for a kind.
 */
export class RecordingRenderer implements TemplateRenderer {
  readonly rendered: string[] = [];
  private readonly failing = new Set<string>();

  failFor(kind: string): this {
    this.failing.add(kind);
    return this;
  }

  async render(n: Notification): Promise<RenderedMail> {
    if (this.failing.has(n.kind)) throw new MailroomError('TEMPLATE.FAILED', `Template for ${n.kind} failed at line 3`);
    this.rendered.push(n.id);
    return { subject: `${n.kind} for ${n.recipient.userId}`, html: `<p>${JSON.stringify(n.payload)}</p>`, text: JSON.stringify(n.payload) };
  }

  async renderDigest(recipient: Recipient, digest: DigestPayload): Promise<RenderedMail> {
    const lines = digest.items.map((i) => `${i.kind} ${i.id}`);
    if (digest.moreCount > 0) lines.push(`and ${digest.moreCount} more`);
    return {
      subject: `Digest for ${recipient.userId}: ${digest.totalCount} updates`,
      html: `<ul>${lines.map((l) => `<li>${l}</li>`).join('')}</ul>`,
      text: lines.join('\n'),
    };
  }
}
