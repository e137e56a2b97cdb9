import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { SinkReply, SinkRequest } from './sink-protocol';

/**
 * The SMTP sink, run in its own process (forked by `Sink.start`): accepts every mail on 127.0.0.1 without
 * parsing it, counts, and tells the parent when a count is reached, or (when asked) each accepted Message-ID.
 */
let accepted = 0;
let reportIds = false;
const waits: number[] = [];

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
      if (reportIds && head.length < 4096) head += chunk.toString('latin1');
    });
    stream.on('end', () => {
      callback(null);
      accepted++;
      if (reportIds) {
        const id = /^Message-ID:\s*<([^>]+)>/im.exec(head)?.[1];
        if (id) send({ type: 'accepted', messageId: id });
      }
      while (waits.length > 0 && waits[0]! <= accepted) send({ type: 'reached', total: waits.shift()! });
    });
  },
});
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
    case 'stop':
      server.close(() => process.exit(0));
      setTimeout(() => process.exit(0), 2000).unref();
      break;
  }
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => send({ type: 'ready', port: (server.server.address() as AddressInfo).port }));
