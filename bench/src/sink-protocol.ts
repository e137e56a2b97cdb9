/** Messages between a benchmark and its SMTP sink process. */
export type SinkRequest =
  /** Answer `reached` once `total` mails were accepted since the sink started. */
  | { readonly type: 'await'; readonly total: number }
  /** Report every accepted mail's Message-ID (latency runs). */
  | { readonly type: 'ids'; readonly on: boolean }
  | { readonly type: 'stop' };

export type SinkReply =
  | { readonly type: 'ready'; readonly port: number }
  | { readonly type: 'reached'; readonly total: number }
  | { readonly type: 'accepted'; readonly messageId: string };
