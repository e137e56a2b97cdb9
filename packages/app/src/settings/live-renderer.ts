import type { DigestPayload, Notification, Recipient, RenderedMail, TemplateRenderer } from '@mailroom/domain';

/** The template renderer in use, replaceable (an admin changed links, the subject prefix or a template). */
export class LiveRenderer implements TemplateRenderer {
  constructor(private renderer: TemplateRenderer) {}

  get current(): TemplateRenderer {
    return this.renderer;
  }

  replace(next: TemplateRenderer): void {
    this.renderer = next;
  }

  render(notification: Notification): Promise<RenderedMail> {
    return this.renderer.render(notification);
  }

  renderDigest(recipient: Recipient, digest: DigestPayload): Promise<RenderedMail> {
    return this.renderer.renderDigest(recipient, digest);
  }
}
