import { NodemailerMailSender } from '@mailroom/adapters';
import { EmailAddress, type MailSendError } from '@mailroom/domain';
import { createServer, type AddressInfo } from 'node:net';
import { aMail } from '../../support/mail-mother';
import { startSmtpServer, type SmtpTestServer } from '../../support/smtp-test-server';

describe('NodemailerMailSender: recipients, replies and connection failures', () => {
  let server: SmtpTestServer;
  let dataReply: { responseCode: number; message: string } | undefined;
  const senders: NodemailerMailSender[] = [];

  beforeAll(async () => {
    server = await startSmtpServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('unknown')) return callback(Object.assign(new Error('5.1.1 User unknown'), { responseCode: 550 }));
        return callback();
      },
      onMailFrom(_address, _session, callback) {
        if (dataReply) return callback(Object.assign(new Error(dataReply.message), { responseCode: dataReply.responseCode }));
        return callback();
      },
    });
  });

  afterEach(() => {
    dataReply = undefined;
  });

  afterAll(async () => {
    await Promise.all(senders.map((s) => s.close()));
    await server.close();
  });

  const sender = (port = server.port) => {
    const s = new NodemailerMailSender({
      host: '127.0.0.1',
      port,
      tls: { mode: 'none' },
      auth: { kind: 'none' },
      timeouts: { connectionMs: 2000 },
    });
    senders.push(s);
    return s;
  };
  const failureOf = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: unknown) => e,
    ) as Promise<MailSendError>;

  it('reports a recipient refused while the others are accepted', async () => {
    const mail = aMail({ to: [EmailAddress.parse('ada@example.com'), EmailAddress.parse('unknown@example.com')] });
    const receipt = await sender().send(mail);
    expect(receipt.accepted).toEqual(['ada@example.com']);
    expect(receipt.rejected).toEqual([{ address: 'unknown@example.com', responseCode: 550, response: '550 5.1.1 User unknown' }]);
    expect(receipt.response).toMatch(/^250/);
  });

  it('every recipient refused is a permanent failure', async () => {
    const error = await failureOf(sender().send(aMail({ to: [EmailAddress.parse('unknown@example.com')] })));
    expect(error).toMatchObject({ failure: 'permanent', responseCode: 550, enhancedCode: '5.1.1' });
  });

  it('432 4.3.2 (too many connections) is transient with a hint to lower the pool', async () => {
    dataReply = { responseCode: 432, message: '4.3.2 Concurrent connections limit exceeded' };
    const error = await failureOf(sender().send(aMail()));
    expect(error).toMatchObject({ failure: 'transient', code: 'SEND.TRANSIENT.CONNECTION_LIMIT', enhancedCode: '4.3.2' });
  });

  it('SendAsDenied is a configuration error about the sender', async () => {
    dataReply = {
      responseCode: 554,
      message: '5.2.252 SendAsDenied; notifications@mailroom.test not allowed to send as boss@mailroom.test',
    };
    const error = await failureOf(sender().send(aMail()));
    expect(error).toMatchObject({ failure: 'configuration', code: 'SEND.CONFIGURATION.SENDER' });
  });

  it('a refused connection is transient', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const error = await failureOf(sender(port).verify());
    expect(error).toMatchObject({ failure: 'transient', code: 'SEND.TRANSIENT.CONNECTION' });
  });

  it("uses the mail's Message-ID on every attempt, so receivers can drop a duplicate", async () => {
    const mail = aMail();
    const s = sender();
    await s.send(mail);
    await s.send(mail);
    const ids = server.received.filter((m) => m.parsed.messageId === `<${mail.messageId}>`);
    expect(ids).toHaveLength(2);
  });
});
