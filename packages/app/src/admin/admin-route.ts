import type { z } from 'zod';
import type { AdminBackend } from './admin-backend';
import type { AdminIdentity } from './admin-identity';
import type { RetryJobs } from './retry-jobs';

type Schema = z.ZodType | undefined;
type Out<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

/** What a route's handler receives: the validated inputs, the caller and the backend. */
export interface RouteInput<Q, P, B> {
  readonly query: Q;
  readonly params: P;
  readonly body: B;
  readonly identity: AdminIdentity;
  readonly backend: AdminBackend;
  readonly jobs: RetryJobs;
}

/** One admin API operation: its method and path, its request schemas (validation and OpenAPI), and what it does. */
export interface RouteSpec<Q extends Schema, P extends Schema, B extends Schema> {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Below the base path, with `:name` parameters, e.g. `/outbox/notifications/:id`. */
  readonly path: string;
  readonly summary: string;
  readonly query?: Q;
  readonly params?: P;
  readonly body?: B;
  /** The success status; 200 unless said. */
  readonly status?: number;
  /** The JSON answered on success. */
  handle(input: RouteInput<Out<Q>, Out<P>, Out<B>>): Promise<unknown>;
}

export type AdminRoute = RouteSpec<Schema, Schema, Schema>;

/** A route with its handler's inputs typed from its schemas. */
export function route<Q extends Schema = undefined, P extends Schema = undefined, B extends Schema = undefined>(
  spec: RouteSpec<Q, P, B>,
): AdminRoute {
  return spec;
}
