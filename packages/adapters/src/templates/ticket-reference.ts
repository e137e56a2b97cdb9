import { ticketReferenceOf, type ChangeRequestPayload } from '@mailroom/domain';
import { cut, oneLine } from './text-tools';

/**
 * The stable reference a ticketing system files a mail by (`CR-1234` for a change request), or undefined for
 * kinds that have none. It goes into a subject, so it is one line and short whatever the payload holds.
 */
export function ticketReference(kind: string, payload: Readonly<Record<string, unknown>>): string | undefined {
  if (kind !== 'change-request') return undefined;
  return cut(oneLine(ticketReferenceOf(payload as unknown as ChangeRequestPayload)), 60);
}
