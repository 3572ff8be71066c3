import { readFileSync } from "node:fs";
import { freemem } from "node:os";

/**
 * Memory this process can still use, in bytes: `MemAvailable` of /proc/meminfo (Linux), else the OS's free
 * memory.
 *
 * @returns Bytes.
 * @example
 * ```ts
 * import { availableHostMemory } from "@wpo/cli";
 * console.assert(availableHostMemory() > 0);
 * ```
 */
export function availableHostMemory(): number {
  try {
    const m = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync("/proc/meminfo", "utf8"));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return freemem();
}

/**
 * The peak resident memory of this process so far, in bytes (`getrusage`'s max RSS).
 *
 * @returns Bytes.
 * @example
 * ```ts
 * import { peakResidentMemory } from "@wpo/cli";
 * console.assert(peakResidentMemory() > 0);
 * ```
 */
export function peakResidentMemory(): number {
  return process.resourceUsage().maxRSS * 1024;
}
