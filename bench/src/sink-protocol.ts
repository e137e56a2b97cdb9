/** How a sink behaves, fixed when it starts. */
export interface SinkOptions {
  /** Each mail is accepted this long after its data arrived, as a remote relay answers (default 0). */
  readonly acceptDelayMs?: number;
  /** Keep every accepted Message-ID, so a run can check that each mail arrived exactly once (`ids`). */
  readonly keepIds?: boolean;
}

/** Messages between a benchmark and its SMTP sink process. */
export type SinkRequest =
  /** Answer `reached` once `total` mails were accepted since the sink started. */
  | { readonly type: 'await'; readonly total: number }
  /** Report every accepted mail's Message-ID (latency runs). */
  | { readonly type: 'ids'; readonly on: boolean }
  /** Answer `kept` with the Message-IDs accepted since the last `take` (with `keepIds`), one per acceptance. */
  | { readonly type: 'take' }
  /** Answer `usage` with the CPU time the sink used and waited for, since it started. */
  | { readonly type: 'usage' }
  | { readonly type: 'stop' };

export type SinkReply =
  | { readonly type: 'ready'; readonly port: number }
  | { readonly type: 'reached'; readonly total: number }
  | { readonly type: 'accepted'; readonly messageId: string }
  | { readonly type: 'kept'; readonly messageIds: readonly string[] }
  | { readonly type: 'usage'; readonly cpuMs: number; readonly runQueueMs?: number };
