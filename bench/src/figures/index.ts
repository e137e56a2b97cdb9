import { delivery } from './delivery';

/** Every figure by name, in the order the runner takes them. */
export const FIGURES = { delivery } as const;
