import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';

/** What frameworks leave on a Node request: Express's mount-free URL and its parsed body. */
interface FrameworkRequest extends IncomingMessage {
  originalUrl?: string;
  body?: unknown;
  rawBody?: unknown;
}

/**
 * A Node `(req, res)` listener over a fetch handler. Express and @fastify/middie strip their mount path from
 * `req.url` and keep the whole one in `req.originalUrl`: the handler routes on the whole path (its `basePath`), so
 * it is put back. A body already read by a JSON parser cannot be read again: its parsed value is sent on instead.
 */
export function nodeListener(fetch: (request: Request) => Promise<Response>): (req: IncomingMessage, res: ServerResponse) => void {
  // Leaves the process's global Request and Response alone: this runs inside the host's process.
  const listen = getRequestListener(fetch, { overrideGlobalObjects: false });
  return (req, res) => {
    const r = req as FrameworkRequest;
    if (typeof r.originalUrl === 'string') r.url = r.originalUrl;
    if (r.rawBody === undefined && r.body !== undefined && r.readableEnded) r.rawBody = Buffer.from(JSON.stringify(r.body));
    void listen(req, res);
  };
}
