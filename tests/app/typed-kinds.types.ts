/**
 * Type-level tests of the host API, checked by `tsc -b` (`pnpm test`), never run: each `@ts-expect-error` line must
 * stay a compile error, or the build fails. Known kinds check their payloads; any other kind name must be one the host
 * registered through `kinds`.
 */
import { createMailroom, createTestMailroom, field, payloadSchema, type KindDefinition, type Mailroom } from '@mailroom/app';

const recipient = { userId: 'u42', address: 'ada@example.com' };
// Plain object literals, not interface-typed: with an untyped kind they would be accepted as Record<string, unknown>.
const invite = {
  inviterName: 'Grace Hopper',
  accountName: 'ada',
  acceptLinkPath: '/invitations/abc/accept',
  expiresAt: '2026-12-01T09:00:00Z',
};
const resultsChanged = {
  queryId: '42',
  queryName: 'Orphaned accounts',
  rowsAdded: 3,
  rowsRemoved: 0,
  totalRows: 120,
  linkPath: '/queries/42',
};

export async function builtInKindsOnly(mailroom: Mailroom): Promise<void> {
  await mailroom.notify({ kind: 'user-invite', recipient, payload: invite });
  // @ts-expect-error a misspelt kind does not compile
  await mailroom.notify({ kind: 'user-invtie', recipient, payload: invite });
  // @ts-expect-error a built-in kind's payload is checked: fields are missing
  await mailroom.notify({ kind: 'user-invite', recipient, payload: { inviterName: 'Grace Hopper' } });
  // @ts-expect-error a misspelt field of a built-in payload
  await mailroom.notify({ kind: 'query-results-changed', recipient, payload: { ...resultsChanged, linkpath: '/queries/42' } });
  // @ts-expect-error a kind the host did not register
  await mailroom.notify({ kind: 'acme.report-ready', recipient, payload: { reportName: 'Q4' } });

  await mailroom.publish('query:42', 'query-results-changed', resultsChanged, { eventKey: 'run-1' });
  // @ts-expect-error publish checks the kind too
  await mailroom.publish('query:42', 'query-results-chnaged', resultsChanged);
  // @ts-expect-error and the payload of a built-in kind
  await mailroom.publish('query:42', 'query-results-changed', { queryId: '42' });
}

export async function hostKindsInline(): Promise<void> {
  const mailroom = await createMailroom({ kinds: [{ kind: 'acme.report-ready', validate: payloadSchema({ reportName: field.text() }) }] });
  await mailroom.notify({ kind: 'acme.report-ready', recipient, payload: { reportName: 'Q4' } });
  await mailroom.notify({ kind: 'user-invite', recipient, payload: invite });
  // @ts-expect-error a misspelt host kind
  await mailroom.notify({ kind: 'acme.report-raedy', recipient, payload: { reportName: 'Q4' } });
  // @ts-expect-error built-in payloads are still checked beside the host's kinds
  await mailroom.notify({ kind: 'user-invite', recipient, payload: { reportName: 'Q4' } });
  await mailroom.publish('reports:q4', 'acme.report-ready', { reportName: 'Q4' });
}

export async function hostKindsDeclaredApart(): Promise<void> {
  const reportReady: KindDefinition<'acme.report-ready'> = {
    kind: 'acme.report-ready',
    validate: payloadSchema({ reportName: field.text() }),
  };
  const exportDone: KindDefinition<'acme.export-done'> = { kind: 'acme.export-done', validate: payloadSchema({}) };
  const mailroom = await createTestMailroom({ kinds: [reportReady, exportDone] });
  await mailroom.notify({ kind: 'acme.export-done', recipient, payload: {} });
  await mailroom.publish('reports:q4', 'acme.report-ready', { reportName: 'Q4' });
  // @ts-expect-error only the registered names
  await mailroom.publish('reports:q4', 'acme.report', { reportName: 'Q4' });
}

/** The README's "Embedding Mailroom in a host application" calls, as a host writes them. */
export async function readmeExample(): Promise<void> {
  const mailroom = await createMailroom({
    config: {
      database: { url: 'postgres://mailroom:secret@db.example.com:5432/idm' },
      smtp: { host: 'smtp.example.com', port: 587, tls: 'starttls', auth: { type: 'direct', username: 'idm', password: 'secret' } },
      links: { baseUrl: 'https://idm.example.com/' },
      from: { address: 'noreply@example.com', name: 'Identity Manager' },
    },
  });
  mailroom.start();
  await mailroom.notify({
    kind: 'user-invite',
    recipient: { userId: 'u42', address: 'ada@example.com', name: 'Ada Lovelace', timeZone: 'Europe/Zurich' },
    payload: {
      inviterName: 'Grace Hopper',
      accountName: 'ada',
      acceptLinkPath: '/invitations/abc/accept',
      expiresAt: '2026-12-01T09:00:00Z',
    },
  });
  await mailroom.subscribe({ recipient: { userId: 'u7', address: 'bob@example.com' }, topic: 'query:42', delivery: 'digest' });
  await mailroom.publish('query:42', 'query-results-changed', resultsChanged);
  await mailroom.health();
  await mailroom.sendTest('admin@example.com');
  await mailroom.stop();
}

/** An invite needs no user id; a subscription does. `transaction` takes the host's TypeORM or pg transaction. */
export async function addressOnlyAndTransactions(
  mailroom: Mailroom,
  manager: import('typeorm').EntityManager,
  client: import('pg').PoolClient,
): Promise<void> {
  await mailroom.notify({ kind: 'user-invite', recipient: { address: 'ada@example.com' }, payload: invite });
  // @ts-expect-error subscribe needs the user id
  await mailroom.subscribe({ recipient: { address: 'ada@example.com' }, topic: 'query:42' });
  await mailroom.notify({ kind: 'user-invite', recipient, payload: invite }, { transaction: manager });
  await mailroom.notify({ kind: 'user-invite', recipient, payload: invite }, { transaction: manager.queryRunner! });
  await mailroom.publish('query:42', 'query-results-changed', resultsChanged, { eventKey: 'run-1', transaction: client });
  // @ts-expect-error a transaction is an EntityManager, a QueryRunner or a pg client, not an id
  await mailroom.notify({ kind: 'user-invite', recipient, payload: invite }, { transaction: 'tx-1' });
}
