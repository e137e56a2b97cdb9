import { CapturingMailSender, NodemailerMailSender } from '@mailroom/adapters';
import type { AddressObject } from 'mailparser';
import { startSmtpServer } from '../support/smtp-test-server';
import { mailSenderContract, type ReceivedMessage } from './mail-sender.contract';

const unbracket = (id: string | undefined): string | undefined => id?.replace(/^<|>$/g, '');

mailSenderContract('CapturingMailSender', async () => {
  const sender = new CapturingMailSender();
  return {
    sender,
    received: async () =>
      sender.sent.map((m): ReceivedMessage => ({
        from: { address: m.from.address, name: m.from.name ?? '' },
        to: m.to.map((t) => t.address),
        subject: m.subject,
        messageId: m.messageId,
        inReplyTo: m.inReplyTo,
        references: [...(m.references ?? [])],
        header: (name) => Object.entries(m.headers ?? {}).find(([k]) => k.toLowerCase() === name)?.[1],
        html: m.html,
        text: m.text,
      })),
    teardown: () => sender.close(),
  };
});

mailSenderContract('NodemailerMailSender over SMTP', async () => {
  const server = await startSmtpServer({ disabledCommands: ['STARTTLS', 'AUTH'] });
  const sender = new NodemailerMailSender({ host: '127.0.0.1', port: server.port, tls: { mode: 'none' }, auth: { kind: 'none' } });
  return {
    sender,
    received: async () =>
      server.received.map(({ parsed }): ReceivedMessage => {
        const from = parsed.from?.value[0];
        const to = ([] as AddressObject[]).concat(parsed.to ?? []).flatMap((a) => a.value.map((v) => v.address ?? ''));
        return {
          from: { address: from?.address ?? '', name: from?.name ?? '' },
          to,
          subject: parsed.subject ?? '',
          messageId: unbracket(parsed.messageId) ?? '',
          inReplyTo: unbracket(parsed.inReplyTo),
          references: ([] as string[]).concat(parsed.references ?? []).map((r) => unbracket(r) ?? r),
          header: (name) => {
            const value = parsed.headers.get(name);
            return value === undefined ? undefined : String(value);
          },
          html: typeof parsed.html === 'string' ? parsed.html : '',
          text: parsed.text ?? '',
        };
      }),
    teardown: async () => {
      await sender.close();
      await server.close();
    },
  };
});
