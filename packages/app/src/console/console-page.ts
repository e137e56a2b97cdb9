import type { Context } from 'hono';
import type { AdminBackend } from '../admin/admin-backend';
import type { AdminIdentity } from '../admin/admin-identity';
import type { RetryJobs } from '../admin/retry-jobs';
import type { SafeHtml } from './html';

/** What every page handler gets: who asks, the Mailroom behind the console, and how to build links and forms. */
export interface ConsoleContext {
  readonly backend: AdminBackend;
  readonly identity: AdminIdentity;
  /** The console's root as the browser sees it, e.g. `/admin/console`. */
  readonly root: string;
  /** The form token to put in every form (`csrfField()`). */
  readonly csrf: string;
  /** The retries of every dead letter running in this process (shared with the JSON API, which reports their progress). */
  readonly jobs: RetryJobs;
  readonly hono: Context;
}

/**
 * A page's answer: HTML (status 200 unless said), a redirect after a change (303, so a reload does not post again),
 * a response of its own (a stream of results a page's script reads as they come), or a mail's own content for an
 * iframe (`sandboxed`: a rendered or caught mail, answered under a policy of its own that runs no script, loads nothing
 * but inline styles and images, and gives the document no origin).
 */
export type ConsoleAnswer =
  | { readonly html: SafeHtml; readonly status?: number }
  | { readonly redirect: string }
  | { readonly response: Response }
  | { readonly sandboxed: string; readonly type: 'text/html' | 'text/plain'; readonly status?: number };

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
