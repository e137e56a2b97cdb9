import { delivery } from './delivery';
import { digest } from './digest';
import { fanOut } from './fan-out';
import { latency } from './latency';
import { memory } from './memory';
import { notifyDuringFanOut } from './notify-during-fan-out';
import { scaleOut } from './scale-out';

/** Every figure by name, in the order the runner takes them. */
export const FIGURES = {
  delivery,
  'fan-out': fanOut,
  latency,
  memory,
  digest,
  'scale-out': scaleOut,
  'notify-during-fan-out': notifyDuringFanOut,
} as const;
