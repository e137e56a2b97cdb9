import type { DeliveryError, Notification } from '@mailroom/domain';
import { html, type SafeHtml } from '../html';

/** A duration in the largest two units that matter: `45 s`, `3 min 20 s`, `2 h 5 min`, `1 d 3 h`. */
export function age(seconds: number): string {
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3_600],
    ['min', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(seconds));
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || (unit === 's' && parts.length === 0)) parts.push(`${count} ${unit}`);
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** A moment as admins read it in the console (UTC, to the second). */
export function when(date: Date | string | undefined): string {
  if (date === undefined) return '–';
  return `${new Date(date).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

/** The recipient: name and address (every part escaped by `html`). */
export function recipientText(n: Pick<Notification, 'recipient'>): string {
  const { email, userId } = n.recipient;
  return `${email.name ? `${email.name} <${email.address}>` : email.address} (user ${userId})`;
}

/** A delivery error: its code, the server's reply code, and its message — all shown as text. */
export function reasonHtml(error: DeliveryError): SafeHtml {
  return html`<span class="reason"
    ><strong>${error.code}</strong>${error.responseCode !== undefined ? ` (${error.responseCode})` : ''}: ${error.message}</span
  >`;
}
