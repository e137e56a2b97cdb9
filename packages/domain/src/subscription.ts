import { ValidationError } from './errors';
import type { Delivery } from './notification';
import type { Recipient } from './values/recipient';
import { quoted, unstorableText } from './values/text';

/**
 * A topic names something users follow: `query:42`, `connector:hr-feed`, or the host's own
 * `<namespace>:<id>`. One line, no spaces.
 */
export type Topic = string;

const TOPIC = /^[a-z][a-z0-9._-]*:[^\s\u0000-\u001f\u007f]{1,200}$/;

/** A checked topic (`<namespace>:<id>`), or a `TOPIC.INVALID` ValidationError naming `field`. */
export function topic(value: string, field = 'topic'): Topic {
  const unstorable = typeof value === 'string' ? unstorableText(value) : undefined;
  if (unstorable !== undefined) throw new ValidationError('TOPIC.INVALID', [{ field, problem: unstorable }], 'Invalid topic');
  if (typeof value !== 'string' || !TOPIC.test(value)) {
    throw new ValidationError(
      'TOPIC.INVALID',
      [{ field, problem: `${quoted(String(value))} is not a topic; use "<namespace>:<id>" such as "query:42" or "connector:hr-feed"` }],
      'Invalid topic',
    );
  }
  return value;
}

/** The topic of a query's results: `query:<id>`. */
export const queryTopic = (queryId: string | number): Topic => topic(`query:${queryId}`);
/** The topic of a connector's imports: `connector:<id>`. */
export const connectorTopic = (connectorId: string): Topic => topic(`connector:${connectorId}`);

/** A user follows a topic, once, with a delivery preference. */
export interface Subscription {
  readonly subscriber: Recipient;
  readonly topic: Topic;
  readonly delivery: Delivery;
  readonly createdAt: Date;
}
