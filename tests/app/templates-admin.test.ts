import { createTestMailroom } from '@mailroom/app';
import { MailroomError, NotFoundError } from '@mailroom/domain';
import { fullPayloads } from '../support/payloads';
import { aRecipientInput } from '../support/mothers';

describe('templates admins edit (memory store)', () => {
  it('lists every template in use with its layer, and reads one with the built-in text', async () => {
    const mailroom = await createTestMailroom({ templates: { '_button.html': '<a href="<%= it.url %>"><%= it.label %></a>' } });
    const list = mailroom.templates.list();
    expect(list.find((t) => t.name === 'user-invite.subject')).toMatchObject({ kind: 'user-invite', part: 'subject', layer: 'built-in' });
    expect(list.find((t) => t.name === '_button.html')).toMatchObject({ layer: 'host', hasBuiltIn: true });
    expect(list.find((t) => t.name === 'digest.html')).toMatchObject({ kind: 'digest', part: 'html' });
    const subject = mailroom.templates.get('user-invite.subject');
    expect(subject.source).toContain('invited you to');
    expect(subject.builtIn).toBe(subject.source);
    expect(() => mailroom.templates.get('user-invite.sujbect')).toThrow(NotFoundError);
    await mailroom.stop();
  });

  it('saves a subject (the mail’s other parts kept as they are), uses it for the next mail, and resets it', async () => {
    const mailroom = await createTestMailroom();
    await mailroom.templates.save({ 'user-invite.subject': 'Welcome to <%= it.payload.accountName %>' }, 'ada');
    const saved = mailroom.templates.list().filter((t) => t.layer === 'stored');
    expect(saved.map((t) => t.name)).toEqual(['user-invite.html', 'user-invite.subject', 'user-invite.text']);
    expect(saved[1]).toMatchObject({ changedBy: 'ada' });
    await mailroom.notify({ kind: 'user-invite', recipient: aRecipientInput(), payload: fullPayloads['user-invite'] });
    await mailroom.deliver();
    expect(mailroom.sent[0]!.subject).toBe(`Welcome to ${fullPayloads['user-invite'].accountName}`);

    await mailroom.templates.reset(['user-invite.subject'], 'ada');
    expect(mailroom.templates.list().filter((t) => t.layer === 'stored')).toEqual([]);
    await mailroom.notify({ kind: 'user-invite', recipient: aRecipientInput(), payload: fullPayloads['user-invite'] });
    await mailroom.deliver();
    expect(mailroom.sent[1]!.subject).toContain('invited you to');
    const history = await mailroom.settings.history();
    expect(history.map((h) => h.by)).toEqual(['ada', 'ada']);
    await mailroom.stop();
  });

  it('refuses a template that does not compile or render with the samples, naming the line, and saves nothing', async () => {
    const mailroom = await createTestMailroom();
    const broken = await mailroom.templates
      .save({ 'user-invite.text': 'Hello\n<% if (it.payload.accountName) { %>\nno end' }, 'ada')
      .catch((e: unknown) => e);
    expect(broken).toBeInstanceOf(MailroomError);
    expect((broken as MailroomError).code).toBe('TEMPLATE.SYNTAX');
    expect((broken as Error).message).toMatch(/saved templates\["user-invite.text"\].*line \d/);
    const failing = await mailroom.templates
      .save({ 'user-invite.subject': '<%= it.payload.nope.deeper %>' }, 'ada')
      .catch((e: unknown) => e);
    expect((failing as MailroomError).code).toBe('TEMPLATE.RENDER');
    expect((failing as Error).message).toContain('line 1');
    expect(mailroom.templates.list().filter((t) => t.layer === 'stored')).toEqual([]);
    expect(await mailroom.settings.history()).toEqual([]);
    await mailroom.stop();
  });

  it('previews a kind with templates not saved yet, and the digest', async () => {
    const mailroom = await createTestMailroom();
    const preview = await mailroom.templates.preview('user-invite', { 'user-invite.subject': 'Preview for <%= it.payload.accountName %>' });
    expect(preview.subject).toBe('Preview for Acme');
    expect(preview.html).toContain('Acme');
    expect(mailroom.templates.list().filter((t) => t.layer === 'stored')).toEqual([]);
    const digest = await mailroom.templates.preview('digest');
    expect(digest.text).toMatch(/2 earlier updates are not listed here/);
    await expect(mailroom.templates.preview('no-such-kind')).rejects.toMatchObject({ code: 'TEMPLATE.NO_SAMPLE' });
    await mailroom.stop();
  });
});
