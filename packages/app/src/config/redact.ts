import { SECRET_PATHS } from './settings';

const MASK = '***';

/** A copy of the configuration safe to print or log: secrets masked, the database URL's password masked. */
export function redactConfig<T>(config: T): T {
  const copy = structuredClone(config) as Record<string, unknown>;
  for (const path of SECRET_PATHS) {
    const keys = path.split('.');
    let node: Record<string, unknown> | undefined = copy;
    for (const key of keys.slice(0, -1)) node = node?.[key] as Record<string, unknown> | undefined;
    const last = keys[keys.length - 1]!;
    if (node && typeof node[last] === 'string') {
      node[last] = path === 'database.url' ? redactUrl(node[last]) : MASK;
    }
  }
  return copy as T;
}

/** `postgres://user:secret@host/db` → `postgres://user:***@host/db`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = MASK;
    return u.toString();
  } catch {
    return MASK; // not a URL we can take apart: show none of it
  }
}
