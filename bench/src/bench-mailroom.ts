import { tmpdir } from 'node:os';
import { createMailroom } from '@mailroom/app';

export interface BenchMailroomSettings {
  readonly url: string;
  readonly schema: string;
  readonly smtpPort: number;
  readonly smtpPoolSize: number;
}

export const FROM = { address: 'mailroom@bench.example.test', name: 'Mailroom' };

/** The Message-ID a notification's mail goes out with (its id at the From domain), as the sink sees it. */
export function messageIdOf(notificationId: string): string {
  return `${notificationId}@${FROM.address.split('@')[1]}`;
}

/**
 * Mailroom as a host assembles it, on the benchmark's database and SMTP sink. Everything else is the product's
 * default, logging included (`info`: a summary line per delivery run, to stderr, which the runner sends to a file).
 * No environment variables or configuration file are read, so a developer's settings cannot skew a run.
 */
export function benchMailroom(s: BenchMailroomSettings) {
  return createMailroom({
    env: {},
    cwd: tmpdir(),
    config: {
      database: { url: s.url, schema: s.schema },
      smtp: { host: '127.0.0.1', port: s.smtpPort, tls: 'none', poolSize: s.smtpPoolSize },
      from: FROM,
      links: { baseUrl: 'https://idm.bench.example.test/' },
    },
  });
}
