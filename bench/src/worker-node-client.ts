import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { BenchMailroomSettings } from './bench-mailroom';

export type NodeSettings = BenchMailroomSettings;

export type NodeRequest =
  /** Start the worker: it claims and sends at once. */
  | { readonly type: 'start' }
  /** Count CPU and run-queue time from now on. */
  | { readonly type: 'mark' }
  /** Stop the worker gracefully and exit, answering `stopped`. */
  | { readonly type: 'stop' }
  /** The baseline: compose `count + warmUp` mails, send the warm-up with raw nodemailer, answer `prepared`. */
  | { readonly type: 'prepare-raw'; readonly count: number; readonly warmUp: number }
  /** Send the prepared mails with raw nodemailer, answer `sent-raw`. */
  | { readonly type: 'send-raw' };

export type NodeReply =
  { readonly type: 'ready' } | { readonly type: 'prepared' } | { readonly type: 'sent-raw' } | ({ readonly type: 'stopped' } & NodeUsage);

/** What a node used between `mark` and `stop`. */
export interface NodeUsage {
  readonly wallMs: number;
  readonly cpuMs: number;
  /** Time it was ready to run but waited for a CPU (Linux only). */
  readonly runQueueMs?: number;
}

/**
 * A Mailroom node in another process (see worker-node), as a benchmark drives it. The same process can first send
 * with raw nodemailer (the baseline), so k raw senders and k nodes meet the same machine.
 */
export class WorkerNode {
  private constructor(private readonly child: ChildProcess) {}

  /** Forks the node and resolves once its Mailroom is assembled (connected, migrated), its worker not yet started. */
  static async start(settings: NodeSettings): Promise<WorkerNode> {
    const child = fork(join(__dirname, 'worker-node.js'), [JSON.stringify(settings)], {
      // Its log (info: a summary line per delivery run) goes where this process's goes: the figure's log file.
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const node = new WorkerNode(child);
    await node.reply('ready');
    return node;
  }

  run(): void {
    this.child.send({ type: 'start' } satisfies NodeRequest);
  }

  mark(): void {
    this.child.send({ type: 'mark' } satisfies NodeRequest);
  }

  /** Composes the baseline's mails in the node and sends its warm-up (accepted when this resolves). */
  async prepareRaw(count: number, warmUp: number): Promise<void> {
    this.child.send({ type: 'prepare-raw', count, warmUp } satisfies NodeRequest);
    await this.reply('prepared');
  }

  /** Sends the prepared mails with raw pooled nodemailer; resolves once the sink accepted them. */
  async sendRaw(): Promise<void> {
    this.child.send({ type: 'send-raw' } satisfies NodeRequest);
    await this.reply('sent-raw');
  }

  /** Stops the worker gracefully (last settlements written) and the process; resolves with what it used since `mark`. */
  async stop(): Promise<NodeUsage> {
    const stopped = this.reply('stopped');
    this.child.send({ type: 'stop' } satisfies NodeRequest);
    return stopped;
  }

  /** Ends the process at once (cleanup after a failure). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private reply<T extends NodeReply['type']>(type: T): Promise<Extract<NodeReply, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onMessage = (reply: NodeReply) => {
        if (reply.type !== type) return;
        this.child.off('message', onMessage).off('exit', onExit);
        resolve(reply as Extract<NodeReply, { type: T }>);
      };
      const onExit = (code: number | null) => {
        this.child.off('message', onMessage);
        reject(new Error(`a worker node exited (${code}) before answering "${type}"`));
      };
      this.child.on('message', onMessage).once('exit', onExit);
    });
  }
}
