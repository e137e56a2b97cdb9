import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import middie from '@fastify/middie';
import type { AdminHandler } from '@mailroom/app';
import express from 'express';
import Fastify from 'fastify';

/** Calls the admin API at a path below its base path; every answer's body is kept (`bodies`) for the secrets check. */
export interface AdminClient {
  (path: string, init?: RequestInit): Promise<Response>;
  readonly bodies: string[];
  /** The origin the client calls, e.g. `http://127.0.0.1:41234`: what a page of the same site sends as `Origin`. */
  readonly origin: string;
  /** A call to a path from the root, outside the base path. */
  raw(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** How a host mounts the handler: the Node listener in Express, Fastify or node:http over real TCP, or the fetch handler called directly. */
export type Mount = 'express' | 'express after express.json()' | 'fastify' | 'node:http' | 'fetch';
export const MOUNTS: readonly Mount[] = ['express', 'express after express.json()', 'fastify', 'node:http', 'fetch'];

/** `headers` go with every call (a session cookie, say), under the call's own. */
export async function mountAdmin(handler: AdminHandler, how: Mount, headers: Record<string, string> = {}): Promise<AdminClient> {
  const bodies: string[] = [];
  const withHeaders = (init: RequestInit = {}): RequestInit => ({
    ...init,
    headers: { ...headers, ...(init.headers as Record<string, string>) },
  });
  const keep = async (response: Response) => {
    const text = await response.clone().text();
    bodies.push(text);
    return response;
  };
  if (how === 'fetch') {
    const origin = 'http://admin.test';
    const raw = (path: string, init?: RequestInit) => handler.fetch(new Request(`${origin}${path}`, withHeaders(init))).then(keep);
    const client = (path: string, init?: RequestInit) => raw(`${handler.basePath}${path}`, init);
    return Object.assign(client, { bodies, origin, raw, close: async () => {} });
  }
  const { port, close } = await listen(handler, how);
  const origin = `http://127.0.0.1:${port}`;
  const raw = (path: string, init?: RequestInit) => fetch(`${origin}${path}`, withHeaders(init)).then(keep);
  const client = (path: string, init?: RequestInit) => raw(`${handler.basePath}${path}`, init);
  return Object.assign(client, { bodies, origin, raw, close });
}

async function listen(handler: AdminHandler, how: Exclude<Mount, 'fetch'>): Promise<{ port: number; close(): Promise<void> }> {
  if (how === 'fastify') {
    const app = Fastify();
    await app.register(middie);
    app.use(handler.basePath, handler.listener);
    app.get('/host-route', async () => ({ host: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { port: (app.server.address() as AddressInfo).port, close: () => app.close() };
  }
  let server: Server;
  if (how === 'node:http') {
    server = createServer(handler.listener);
  } else {
    const app = express();
    // A host that parses JSON for its own routes before Mailroom's: the handler takes the parsed body.
    if (how === 'express after express.json()') app.use(express.json());
    app.use(handler.basePath, handler.listener);
    app.get('/host-route', (_req, res) => void res.json({ host: true }));
    server = createServer(app);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A state-changing call as the admin's page makes it: JSON, with the CSRF header. */
export function change(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', body?: unknown): RequestInit {
  return {
    method,
    headers: { 'content-type': 'application/json', 'x-mailroom-request': '1' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}
