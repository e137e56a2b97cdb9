import { readFileSync } from 'node:fs';

/**
 * How long this process has waited, ready to run, for a CPU (ms; Linux's /proc/self/schedstat, second field), or
 * undefined where the kernel does not tell. On a shared machine this says whether a figure measured Mailroom or
 * the queue for the cores.
 */
export function runQueueWaitMs(): number | undefined {
  try {
    return Number(readFileSync('/proc/self/schedstat', 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return undefined;
  }
}

/** Jiffies the whole machine spent busy and in all, since boot (/proc/stat), or undefined elsewhere. */
export function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = cpu.reduce((sum, x) => sum + x, 0);
    // idle and iowait
    return { busy: total - cpu[3]! - (cpu[4] ?? 0), total };
  } catch {
    return undefined;
  }
}

/** The share of the machine's CPU time that was busy between two `machineTicks()`. */
export function busyShare(from: ReturnType<typeof machineTicks>, to: ReturnType<typeof machineTicks>): number | undefined {
  if (from === undefined || to === undefined || to.total === from.total) return undefined;
  return (to.busy - from.busy) / (to.total - from.total);
}
