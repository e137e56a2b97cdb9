import type { Notification } from '../notification';
import type { Recipient } from '../values/recipient';
import type { DigestPayload } from '../digest';

/** A mail's content: one-line subject, HTML and plain text. */
export interface RenderedMail {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
}

/** Turns notifications and digests into mail content, per kind, with the host's overrides. */
export interface TemplateRenderer {
  /** Renders an immediate notification of any known kind. Throws `MailroomError` (`TEMPLATE.*`) on failure. */
  render(notification: Notification): Promise<RenderedMail>;
  /** Renders a digest mail for one recipient; each item by its kind's item template. */
  renderDigest(recipient: Recipient, digest: DigestPayload): Promise<RenderedMail>;
}
