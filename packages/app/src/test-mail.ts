import { EmailAddress, type OutgoingMail } from '@mailroom/domain';
import type { MailroomConfig } from './config';
import { senderAddress } from './settings/live-settings';

/**
 * The test mail of `sendTest()` and `mailroom send-test`: says where it came from and which way it took, under the
 * host's product name (`brand.productName`) like every other mail.
 */
export function testMail(config: MailroomConfig, to: string, now: Date, id: string): OutgoingMail {
  const recipient = EmailAddress.parse(to, undefined, 'to');
  const from = senderAddress(config);
  const smtp = config.smtp;
  const product = config.brand?.productName;
  const text = [
    product === undefined ? 'This is a test mail from the notification service.' : `This is a test mail from ${product}.`,
    '',
    `It went from ${from.address} to ${recipient.address} at ${now.toISOString()}`,
    `through ${smtp ? `${smtp.host}:${smtp.port ?? ''} (${smtp.tls}, auth ${smtp.auth.type})` : 'the development mail catcher'}.`,
    '',
    'If you can read this, notifications will reach their recipients.',
  ].join('\n');
  return {
    messageId: `test-${id}@${from.domain}`,
    from,
    to: [recipient],
    subject: `${config.subjectPrefix}${product === undefined ? 'Test mail' : `${product} test mail`}`.trim(),
    text,
    html: `<p>${text.split('\n').filter(Boolean).map(escapeHtml).join('</p><p>')}</p>`,
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
