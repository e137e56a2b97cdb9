import { TOKENS } from '@mailroom/app';
import { benchMailroom } from './bench-mailroom';
import { pendingImmediate, toNodemailerMessage } from './mails';
import { sendRaw } from './raw-sender';
import { runQueueWaitMs } from './run-queue';
import type { NodeReply, NodeRequest, NodeSettings } from './worker-node-client';

/**
 * One Mailroom node in a process of its own (forked by `WorkerNode.start`, its settings as JSON in argv), as a host
 * runs one per machine: assembled with `createMailroom`, its worker started on request and stopped gracefully.
 */
async function main(): Promise<void> {
  const settings = JSON.parse(process.argv[2]!) as NodeSettings;
  const mailroom = await benchMailroom(settings);
  const send = (reply: NodeReply) => new Promise<void>((resolve) => process.send!(reply, () => resolve()));
  const sample = () => ({ at: performance.now(), cpu: process.cpuUsage(), runQueueMs: runQueueWaitMs() });
  let mark = sample();
  let prepared: Record<string, unknown>[] = [];

  const prepareRaw = async (count: number, warmUp: number) => {
    const deliverDue = mailroom.container.get(TOKENS.DeliverDue);
    const messages: Record<string, unknown>[] = [];
    for (let i = 0; i < count + warmUp; i++) messages.push(toNodemailerMessage(await deliverDue.compose(pendingImmediate(i))));
    await sendRaw(settings.smtpPort, settings.smtpPoolSize, messages.slice(0, warmUp));
    prepared = messages.slice(warmUp);
  };
  const stop = async () => {
    const cpu = process.cpuUsage(mark.cpu);
    const runQueueMs = runQueueWaitMs();
    const usage = {
      wallMs: performance.now() - mark.at,
      cpuMs: (cpu.user + cpu.system) / 1000,
      ...(runQueueMs !== undefined && mark.runQueueMs !== undefined ? { runQueueMs: runQueueMs - mark.runQueueMs } : {}),
    };
    await mailroom.stop();
    await send({ type: 'stopped', ...usage });
    process.exit(0);
  };

  process.on('message', (request: NodeRequest) => {
    const failed = (error: unknown) => {
      console.error(error);
      process.exit(1);
    };
    switch (request.type) {
      case 'start':
        return mailroom.start();
      case 'mark':
        mark = sample();
        return;
      case 'stop':
        return void stop().catch(failed);
      case 'prepare-raw':
        return void prepareRaw(request.count, request.warmUp)
          .then(() => send({ type: 'prepared' }))
          .catch(failed);
      case 'send-raw':
        return void sendRaw(settings.smtpPort, settings.smtpPoolSize, prepared.splice(0))
          .then(() => send({ type: 'sent-raw' }))
          .catch(failed);
    }
  });
  process.on('disconnect', () => process.exit(1));
  await send({ type: 'ready' });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
