import { KindRegistry, KNOWN_KINDS, ValidationError, field, payloadSchema } from '@mailroom/domain';
import { fullPayloads, aChangeRequest, aQueryResultsChanged } from '../support/payloads';

function issuesOf(fn: () => unknown): { code: string; fields: string[]; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return { code: e.code, fields: e.issues.map((i) => i.field), message: e.message };
    throw e;
  }
  throw new Error('expected a ValidationError');
}

describe('KindRegistry', () => {
  const kinds = new KindRegistry();

  it('knows the six built-in kinds', () => {
    expect(kinds.kinds().sort()).toEqual([...KNOWN_KINDS].sort());
  });

  it.each(KNOWN_KINDS)('accepts a full %s payload', (kind) => {
    expect(kinds.check(kind, fullPayloads[kind]).kind).toBe(kind);
  });

  it('names an unknown kind and how to fix it', () => {
    const { code, message } = issuesOf(() => kinds.check('user-invitation', {}));
    expect(code).toBe('NOTIFICATION.UNKNOWN_KIND');
    expect(message).toContain('"user-invitation" is not a known kind');
    expect(message).toContain('user-invite');
    expect(message).toContain('KindRegistry.define');
  });

  it('names every invalid field of a payload', () => {
    const { code, fields, message } = issuesOf(() =>
      kinds.check('query-results-changed', {
        queryId: '',
        queryName: 'Q',
        rowsAdded: -1,
        rowsRemoved: 1.5,
        totalRows: 3,
        linkPath: 'https://evil.example.com',
      }),
    );
    expect(code).toBe('NOTIFICATION.INVALID_PAYLOAD');
    expect(fields).toEqual(['payload.queryId', 'payload.rowsAdded', 'payload.rowsRemoved', 'payload.linkPath']);
    expect(message).toContain('payload.linkPath must be a path starting with "/"');
  });

  it('refuses link paths the templates could not link to (a backslash, white space)', () => {
    expect(
      issuesOf(() => kinds.check('query-results-changed', { ...fullPayloads['query-results-changed'], linkPath: '/a\\b' })).fields,
    ).toEqual(['payload.linkPath']);
    expect(
      issuesOf(() => kinds.check('query-results-changed', { ...fullPayloads['query-results-changed'], linkPath: '/a b' })).fields,
    ).toEqual(['payload.linkPath']);
    // A link stays inside links.baseUrl: notify refuses what the templates would refuse.
    const climbing = issuesOf(() =>
      kinds.check('query-results-changed', { ...fullPayloads['query-results-changed'], linkPath: '/../admin' }),
    );
    expect(climbing.fields).toEqual(['payload.linkPath']);
    expect(climbing.message).toContain('must not contain "." or ".." segments');
  });

  it('checks dates, lists and nested objects', () => {
    const { fields } = issuesOf(() =>
      kinds.check('change-request', { requestId: '1', title: 'T', requester: 'R', changes: [{ field: '' }, 'x'] }),
    );
    expect(fields).toEqual(['payload.changes[0].field', 'payload.changes[1]']);
    expect(issuesOf(() => kinds.check('user-invite', { ...fullPayloads['user-invite'], expiresAt: 'next tuesday' })).fields).toEqual([
      'payload.expiresAt',
    ]);
    expect(issuesOf(() => kinds.check('import-failed', null)).fields).toEqual(['payload']);
  });

  it('threads change requests by their ticket reference', () => {
    const cr = kinds.get('change-request')!;
    expect(cr.threadKey!({ requestId: '1234' })).toBe('change-request.CR-1234');
    expect(cr.threadKey!({ requestId: '1234', ticketReference: 'CHG0042' })).toBe('change-request.CHG0042');
    expect(kinds.get('user-invite')!.threadKey).toBeUndefined();
  });

  it('lets a host define its own kinds with their validation', () => {
    const registry = new KindRegistry().define({
      kind: 'acme.report-ready',
      validate: payloadSchema({ reportName: field.text(), linkPath: field.linkPath() }),
    });
    expect(registry.check('acme.report-ready', { reportName: 'Q3', linkPath: '/reports/q3' }).kind).toBe('acme.report-ready');
    expect(issuesOf(() => registry.check('acme.report-ready', { reportName: 'Q3' })).fields).toEqual(['payload.linkPath']);
  });

  it('refuses the reserved digest kind and malformed kind names', () => {
    expect(() => new KindRegistry().define({ kind: 'digest', validate: () => [] })).toThrow(/reserved/);
    expect(() => new KindRegistry().define({ kind: 'Bad Kind', validate: () => [] })).toThrow(/lower-case words/);
  });

  describe('unknown fields of the built-in kinds', () => {
    it('refuses a misspelt field, naming it and the field it most likely meant', () => {
      const { linkPath, ...rest } = aQueryResultsChanged();
      const { code, fields, message } = issuesOf(() => kinds.check('query-results-changed', { ...rest, linkpath: linkPath }));
      expect(code).toBe('NOTIFICATION.INVALID_PAYLOAD');
      expect(fields).toEqual(['payload.linkPath', 'payload.linkpath']);
      expect(message).toContain('payload.linkpath is not a field of this payload; did you mean "linkPath"?');
    });

    it("names the kind's own link field for the general name (linkPath on an invite means acceptLinkPath)", () => {
      const { acceptLinkPath, ...rest } = fullPayloads['user-invite'];
      const { message } = issuesOf(() => kinds.check('user-invite', { ...rest, linkPath: acceptLinkPath }));
      expect(message).toContain('payload.linkPath is not a field of this payload; did you mean "acceptLinkPath"?');
    });

    it('refuses a field no kind knows, listing the known ones, in nested objects too', () => {
      const { fields, message } = issuesOf(() => kinds.check('query-results-changed', { ...aQueryResultsChanged(), comment: 'x' }));
      expect(fields).toEqual(['payload.comment']);
      expect(message).toContain('(known: queryId, queryName, rowsAdded, rowsRemoved, totalRows, linkPath)');
      expect(
        issuesOf(() => kinds.check('change-request', aChangeRequest({ changes: [{ field: 'Name', too: 'x' } as never] }))).fields,
      ).toEqual(['payload.changes[0].too']);
    });

    it('leaves a host kind to its own validation: extra fields pass unless it asks otherwise', () => {
      const registry = new KindRegistry()
        .define({ kind: 'acme.report-ready', validate: payloadSchema({ reportName: field.text() }) })
        .define({ kind: 'acme.strict', validate: payloadSchema({ reportName: field.text() }, { unknownFields: 'refuse' }) });
      expect(registry.check('acme.report-ready', { reportName: 'Q3', extra: 1 }).kind).toBe('acme.report-ready');
      expect(issuesOf(() => registry.check('acme.strict', { reportName: 'Q3', extra: 1 })).fields).toEqual(['payload.extra']);
    });
  });

  describe('references that end up in subjects and headers', () => {
    it.each([
      ['ticketReference', 'CR-1\r\nBcc: evil@evil.com'],
      ['ticketReference', 'CR-1 Bcc: evil@evil.com'],
      ['ticketReference', '<CR-1>'],
      ['requestId', '1\r\nBcc: evil@evil.com'],
      ['requestId', '12"34'],
      ['requestId', 'a@b'],
    ])('refuses %s %j, naming the field and the characters allowed', (name, value) => {
      const { code, fields, message } = issuesOf(() => kinds.check('change-request', aChangeRequest({ [name]: value })));
      expect(code).toBe('NOTIFICATION.INVALID_PAYLOAD');
      expect(fields).toEqual([`payload.${name}`]);
      expect(message).toContain(`payload.${name} may hold only letters, digits and - _ . : / #`);
    });

    it('accepts the references ticketing systems use', () => {
      for (const ticketReference of ['CR-1234', 'CHG0042', 'INC_7.2', 'PRJ/2026#7', 'jira:OPS-12']) {
        expect(kinds.check('change-request', aChangeRequest({ ticketReference, requestId: 'req-7/a' })).kind).toBe('change-request');
      }
    });
  });
});
