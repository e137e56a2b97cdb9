import { EmailAddress, MailroomError, ValidationError, recipient } from '@mailroom/domain';

describe('EmailAddress', () => {
  it('parses a bare address and one with a display name', () => {
    expect(EmailAddress.parse('ada@example.com')).toMatchObject({ address: 'ada@example.com', name: undefined });
    const named = EmailAddress.parse('Ada Lovelace <ada@example.com>');
    expect(named).toMatchObject({ address: 'ada@example.com', name: 'Ada Lovelace' });
    expect(EmailAddress.parse('"Lovelace, Ada" <ada@example.com>').name).toBe('Lovelace, Ada');
    expect(EmailAddress.parse('ada@example.com', 'Ada').toString()).toBe('"Ada" <ada@example.com>');
    expect(EmailAddress.parse('x@Example.COM').domain).toBe('example.com');
  });

  it('quotes and escapes the display name when formatting', () => {
    expect(EmailAddress.parse('a@example.com', 'Say "hi" \\ bye').toString()).toBe('"Say \\"hi\\" \\\\ bye" <a@example.com>');
  });

  it.each([
    ['victim@example.com\r\nBcc: all@example.com', 'line break'],
    ['victim@example.com\nBcc: x@y.com', 'line break'],
    ['a@example.com, b@example.com', 'not allowed'],
    ['a b@example.com', 'not allowed'],
    ['<a@example.com>>', 'not allowed'],
    ['no-at-sign', 'local-part@domain'],
    ['@example.com', 'local-part@domain'],
    ['a@', 'local-part@domain'],
    ['a@localhost', 'invalid domain'],
    ['a@-bad.com', 'invalid domain'],
    ['a..b@example.com', 'not allowed'],
    ['', 'empty'],
    ['a\uD800b@example.com', 'lone UTF-16 surrogate'],
    ['a\u0000b@example.com', 'NUL'],
  ])('refuses %j (%s)', (input, problem) => {
    let error: unknown;
    try {
      EmailAddress.parse(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('ADDRESS.INVALID');
    expect((error as Error).message).toContain(problem);
  });

  it('refuses a display name that could inject a header', () => {
    expect(() => EmailAddress.parse('a@example.com', 'Eve\r\nBcc: x@y.com')).toThrow(/address\.name contains a line break/);
  });

  it('refuses overlong addresses', () => {
    expect(() => EmailAddress.parse(`${'a'.repeat(65)}@example.com`)).toThrow(/local part is longer than 64/);
    expect(() => EmailAddress.parse(`a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(63)}.com`)).toThrow(
      /longer than 254/,
    );
  });
});

describe('recipient', () => {
  it('validates user id, address, locale and time zone, naming each field', () => {
    expect(recipient({ userId: 'u1', address: 'ada@example.com', name: 'Ada', locale: 'de-CH', timeZone: 'Europe/Zurich' })).toMatchObject({
      userId: 'u1',
      locale: 'de-CH',
      timeZone: 'Europe/Zurich',
    });
    expect(() => recipient({ userId: '', address: 'a@example.com' })).toThrow(/recipient\.userId is required/);
    expect(() => recipient({ userId: 'u1', address: 'a@example.com', locale: 'not a locale!' })).toThrow(/recipient\.locale/);
    expect(() => recipient({ userId: 'u1', address: 'a@example.com', timeZone: 'Mars/Olympus' })).toThrow(
      /recipient\.timeZone "Mars\/Olympus" is not an IANA time zone/,
    );
    expect(() => recipient({ userId: 'u1', address: 'nope' })).toThrow(/recipient\.address/);
  });

  it('throws Mailroom errors with stable codes', () => {
    try {
      recipient({ userId: 'u1', address: 'bad' });
      fail('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(MailroomError);
      expect((e as MailroomError).code).toBe('ADDRESS.INVALID');
    }
  });
});
