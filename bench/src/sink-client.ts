import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { SinkOptions, SinkReply, SinkRequest } from './sink-protocol';

export interface SinkUsage {
  readonly cpuMs: number;
  readonly runQueueMs?: number;
}

/** The SMTP sink in another process, as a benchmark drives it. */
export class Sink {
  private readonly reached = new Map<number, () => void>();
  private readonly idWaiters = new Map<string, (at: number) => void>();
  private readonly early = new Map<string, number>();
  private readonly takers: ((messageIds: readonly string[]) => void)[] = [];
  private readonly usageWaiters: ((usage: SinkUsage) => void)[] = [];
  /** Mails the sink must have accepted so far, as this side counts what it sent. */
  expected = 0;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on('message', (reply: SinkReply) => {
      if (reply.type === 'reached') {
        this.reached.get(reply.total)?.();
        this.reached.delete(reply.total);
      } else if (reply.type === 'accepted') {
        const at = performance.now();
        const waiter = this.idWaiters.get(reply.messageId);
        if (waiter) {
          this.idWaiters.delete(reply.messageId);
          waiter(at);
        } else this.early.set(reply.messageId, at);
      } else if (reply.type === 'kept') {
        this.takers.shift()?.(reply.messageIds);
      } else if (reply.type === 'usage') {
        this.usageWaiters.shift()?.(reply);
      }
    });
  }

  static start(options: SinkOptions = {}): Promise<Sink> {
    const child = fork(join(__dirname, 'sink.js'), [JSON.stringify(options)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the SMTP sink exited (${code}) before listening`)));
      child.once('message', (reply: SinkReply) => {
        if (reply.type === 'ready') resolve(new Sink(child, reply.port));
      });
    });
  }

  /** Resolves when the sink has accepted `expected + count` mails in all; rejects after `timeoutMs`. */
  accept(count: number, timeoutMs: number): Promise<void> {
    this.expected += count;
    const total = this.expected;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the sink did not accept ${total} mails within ${timeoutMs} ms`)), timeoutMs);
      this.reached.set(total, () => {
        clearTimeout(timer);
        resolve();
      });
      this.send({ type: 'await', total });
    });
  }

  reportIds(on: boolean): void {
    this.send({ type: 'ids', on });
  }

  /** performance.now() at which this side heard that the mail with `messageId` was accepted. */
  acceptedAt(messageId: string, timeoutMs: number): Promise<number> {
    const early = this.early.get(messageId);
    if (early !== undefined) {
      this.early.delete(messageId);
      return Promise.resolve(early);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`mail ${messageId} not accepted within ${timeoutMs} ms`)), timeoutMs);
      this.idWaiters.set(messageId, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  }

  /** The Message-IDs accepted since the last call, one per acceptance (a duplicate shows twice); needs `keepIds`. */
  take(): Promise<readonly string[]> {
    return new Promise((resolve) => {
      this.takers.push(resolve);
      this.send({ type: 'take' });
    });
  }

  /** CPU time the sink process used, and waited for (Linux), since it started. */
  usage(): Promise<SinkUsage> {
    return new Promise((resolve) => {
      this.usageWaiters.push(resolve);
      this.send({ type: 'usage' });
    });
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.send({ type: 'stop' });
    await exited;
  }

  private send(request: SinkRequest): void {
    this.child.send(request);
  }
}
