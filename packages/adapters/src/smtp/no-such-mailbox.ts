/**
 * Whether a permanent reply says the recipient's mailbox does not exist (RFC 3463): 5.1.1 bad destination mailbox,
 * 5.1.10 (RFC 7505 null MX; Exchange Online's `RecipientNotFound`), and — only in answer to RCPT, where it cannot be
 * about the sender — 5.1.0 (other address status) and Exchange's directory-based edge blocking,
 * `550 5.4.1 Recipient address rejected: Access denied`. A full mailbox (5.2.2) or a policy refusal (5.7.x) is not
 * a dead address, and is not matched.
 */
export function saysNoSuchMailbox(reply: { responseCode?: number; enhancedCode?: string; text: string; command?: string }): boolean {
  if (reply.responseCode === undefined || reply.responseCode < 500) return false;
  if (reply.enhancedCode === '5.1.1' || reply.enhancedCode === '5.1.10') return true;
  const onRecipient = reply.command !== undefined && /^RCPT/i.test(reply.command);
  if (!onRecipient) return false;
  return reply.enhancedCode === '5.1.0' || (reply.enhancedCode === '5.4.1' && /Recipient address rejected/i.test(reply.text));
}
