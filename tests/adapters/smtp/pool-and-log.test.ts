import { NodemailerMailSender, type SmtpLogLevel, type SmtpSettings } from '@mailroom/adapters';
import { aMail } from '../../support/mail-mother';
import { startSmtpServer, type SmtpTestServer } from '../../support/smtp-test-server';

const settings = (port: number): SmtpSettings => ({ host: '127.0.0.1', port, tls: { mode: 'none' }, auth: { kind: 'none' }, poolSize: 1 });

describe('NodemailerMailSender: pool and log settings', () => {
  let server: SmtpTestServer;

  beforeAll(async () => {
    server = await startSmtpServer({ disabledCommands: ['STARTTLS'] });
  });

  afterAll(async () => {
    await server.close();
  });

  it('keeps pooled connections open for any number of mails (nodemailer would reconnect every 100)', async () => {
    let connections = 0;
    const counting = await startSmtpServer({
      disabledCommands: ['STARTTLS'],
      onConnect: (_session, callback) => {
        connections++;
        callback();
      },
    });
    const sender = new NodemailerMailSender(settings(counting.port));
    try {
      for (let i = 0; i < 150; i++) await sender.send(aMail());
    } finally {
      await sender.close();
      await counting.close();
    }
    expect(counting.received).toHaveLength(150);
    expect(connections).toBe(1);
  });

  it('neither formats nor writes the lines of levels the log does not keep', async () => {
    const written: SmtpLogLevel[] = [];
    const asked: SmtpLogLevel[] = [];
    const sender = new NodemailerMailSender(settings(server.port), {
      log: {
        write: (level) => written.push(level),
        enabled: (level) => {
          asked.push(level);
          return level === 'warn' || level === 'error';
        },
      },
    });
    try {
      await sender.send(aMail());
    } finally {
      await sender.close();
    }
    expect(asked).toContain('info');
    expect(written.filter((l) => l === 'info' || l === 'debug')).toEqual([]);
    expect(server.received).toHaveLength(1);
  });

  it('writes every line when the log does not say which it keeps', async () => {
    const written: SmtpLogLevel[] = [];
    const sender = new NodemailerMailSender(settings(server.port), { log: { write: (level) => written.push(level) } });
    try {
      await sender.send(aMail());
    } finally {
      await sender.close();
    }
    expect(written).toContain('info');
  });
});
