import type { Context } from 'hono';
import type { AdminBackend } from '../admin/admin-backend';
import type { AdminIdentity } from '../admin/admin-identity';
import type { SafeHtml } from './html';

/** What every page handler gets: who asks, the Mailroom behind the console, and how to build links and forms. */
export interface ConsoleContext {
  readonly backend: AdminBackend;
  readonly identity: AdminIdentity;
  /** The console's root as the browser sees it, e.g. `/admin/console`. */
  readonly root: string;
  /** The form token to put in every form (`csrfField()`). */
  readonly csrf: string;
  readonly hono: Context;
}

/**
 * A page's answer: HTML (status 200 unless said), a redirect after a change (303, so a reload does not post again), or
 * a response of its own (a stream of results a page's script reads as they come).
 */
export type ConsoleAnswer =
  { readonly html: SafeHtml; readonly status?: number } | { readonly redirect: string } | { readonly response: Response };

/** One console route: GET shows a page, POST takes a form (checked for its CSRF token before `handle`). */
export interface ConsolePage {
  readonly method: 'GET' | 'POST';
  /** Below the console root, e.g. `/mail-server`; `''` is the root. */
  readonly path: string;
  handle(ctx: ConsoleContext): Promise<ConsoleAnswer>;
}

/** The posted form's fields (urlencoded or multipart), strings only. */
export async function formOf(ctx: ConsoleContext): Promise<Record<string, string>> {
  const body = await ctx.hono.req.parseBody();
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') out[key] = value;
  return out;
}
