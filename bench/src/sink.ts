import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { runQueueWaitMs } from './run-queue';
import type { SinkOptions, SinkReply, SinkRequest } from './sink-protocol';

/**
 * The SMTP sink, run in its own process (forked by `Sink.start`, its options as JSON in argv): accepts every mail on
 * 127.0.0.1 without parsing it, counts, and tells the parent when a count is reached, or (when asked) each accepted
 * Message-ID. With `acceptDelayMs` it answers each mail's data that much later, as a remote relay would.
 */
const options = JSON.parse(process.argv[2] ?? '{}') as SinkOptions;
const acceptDelayMs = options.acceptDelayMs ?? 0;
let accepted = 0;
let reportIds = false;
const waits: number[] = [];
const kept: string[] = [];

const send = (reply: SinkReply) => process.send?.(reply);

const server = new SMTPServer({
  logger: false,
  disableReverseLookup: true,
  authOptional: true,
  closeTimeout: 1000,
  // Every connection stays for the whole run; the default socket timeout would cut idle pool connections.
  socketTimeout: 10 * 60_000,
  maxClients: 100,
  onData(stream, _session, callback) {
    let head = '';
    stream.on('data', (chunk: Buffer) => {
      if ((reportIds || options.keepIds) && head.length < 4096) head += chunk.toString('latin1');
    });
    stream.on('end', () => {
      if (acceptDelayMs > 0) setTimeout(accept, acceptDelayMs, head, callback);
      else accept(head, callback);
    });
  },
});

function accept(head: string, callback: (error: null) => void): void {
  callback(null);
  accepted++;
  if (reportIds || options.keepIds) {
    // A mail without one is kept as '' so the count still shows it.
    const id = /^Message-ID:\s*<([^>]+)>/im.exec(head)?.[1] ?? '';
    if (reportIds && id) send({ type: 'accepted', messageId: id });
    if (options.keepIds) kept.push(id);
  }
  while (waits.length > 0 && waits[0]! <= accepted) send({ type: 'reached', total: waits.shift()! });
}

server.on('error', (error) => console.error('sink:', error.message));

process.on('message', (request: SinkRequest) => {
  switch (request.type) {
    case 'await':
      if (request.total <= accepted) send({ type: 'reached', total: request.total });
      else {
        waits.push(request.total);
        waits.sort((a, b) => a - b);
      }
      break;
    case 'ids':
      reportIds = request.on;
      break;
    case 'take':
      send({ type: 'kept', messageIds: kept.splice(0) });
      break;
    case 'usage': {
      const cpu = process.cpuUsage();
      const runQueueMs = runQueueWaitMs();
      send({ type: 'usage', cpuMs: (cpu.user + cpu.system) / 1000, ...(runQueueMs !== undefined ? { runQueueMs } : {}) });
      break;
    }
    case 'stop':
      server.close(() => process.exit(0));
      setTimeout(() => process.exit(0), 2000).unref();
      break;
  }
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => send({ type: 'ready', port: (server.server.address() as AddressInfo).port }));
