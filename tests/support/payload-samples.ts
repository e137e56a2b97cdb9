import { KNOWN_KINDS, type KnownPayloads } from '@mailroom/domain';
import { FULL_PAYLOADS } from './payloads';

/** A full, valid payload for every built-in kind, as one object (the builders are in ./payloads). */
export const fullPayloads = Object.fromEntries(KNOWN_KINDS.map((k) => [k, FULL_PAYLOADS[k]()])) as unknown as KnownPayloads;
