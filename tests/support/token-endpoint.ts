import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TokenRequestSeen {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly form: URLSearchParams;
}

export interface TokenAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface TokenEndpoint {
  /** `http://127.0.0.1:{port}` */
  readonly origin: string;
  readonly requests: TokenRequestSeen[];
  /** The tokens handed out, in order. */
  readonly issued: string[];
  /** Replace how the endpoint answers (default: a new token each time, valid for an hour). */
  answerWith(answer: (request: TokenRequestSeen, n: number) => TokenAnswer): void;
  /** Hold answers until `release()` (to test single flight). */
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

/** A local OAuth2 token endpoint over node:http: nothing leaves the machine. */
export async function startTokenEndpoint(): Promise<TokenEndpoint> {
  const requests: TokenRequestSeen[] = [];
  const issued: string[] = [];
  let held: (() => void)[] | undefined;
  let answer = (_request: TokenRequestSeen, n: number): TokenAnswer => {
    const token = `test-access-token-${n}-${Math.random().toString(36).slice(2)}`;
    issued.push(token);
    return { status: 200, body: { token_type: 'Bearer', expires_in: 3600, access_token: token } };
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: TokenRequestSeen = {
        path: req.url ?? '',
        headers: req.headers,
        form: new URLSearchParams(Buffer.concat(chunks).toString()),
      };
      requests.push(seen);
      const respond = () => {
        const { status, body } = answer(seen, requests.length);
        res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
        res.end(JSON.stringify(body));
      };
      if (held) held.push(respond);
      else respond();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    issued,
    answerWith(next) {
      answer = (request, n) => {
        const a = next(request, n);
        const token = (a.body as { access_token?: unknown } | undefined)?.access_token;
        if (typeof token === 'string') issued.push(token);
        return a;
      };
    },
    hold() {
      held = [];
    },
    release() {
      const waiting = held ?? [];
      held = undefined;
      for (const respond of waiting) respond();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
