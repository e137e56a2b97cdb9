import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/**
 * msal-node's HTTP calls over a given `fetch`: lets the host route them (a proxy, or a local
 * endpoint in tests) without msal talking to the network on its own.
 */
export class FetchNetworkClient implements INetworkModule {
  constructor(
    private readonly fetch: typeof globalThis.fetch,
    private readonly timeoutMs = 15_000,
  ) {}

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.send<T>(url, 'GET', options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.send<T>(url, 'POST', options);
  }

  private async send<T>(url: string, method: string, options: NetworkRequestOptions = {}, timeout?: number): Promise<NetworkResponse<T>> {
    const init: RequestInit = { method, signal: AbortSignal.timeout(timeout ?? this.timeoutMs) };
    if (options.headers) init.headers = options.headers;
    if (options.body !== undefined) init.body = options.body;
    const response = await this.fetch(url, init);
    const text = await response.text();
    let body: unknown = {};
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      // An HTML error page: msal reads the status.
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    return { status: response.status, headers, body: body as T };
  }
}
