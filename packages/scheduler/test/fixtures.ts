import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** One table of tools/reference/scheduler_ref.py: transformers' multipliers (glibc cos) and the correctly rounded exceptions. */
export interface ScheduleCase {
  name: string;
  options: Record<string, number>;
  values: number[];
  exceptions?: Record<string, number>;
}

/** Reads a JSON fixture of this package. */
export function readFixture<T>(name: string): T {
  const path = fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

/** The expected multiplier of step i: transformers' value, or the correctly rounded one where glibc's cos is off. */
export function expectedValue(c: ScheduleCase, i: number): number {
  return c.exceptions?.[String(i)] ?? (c.values[i] as number);
}

/** Scheduler tables of one schedule name. */
export function scheduleCases(name: string): ScheduleCase[] {
  return readFixture<ScheduleCase[]>("schedules.json").filter((c) => c.name === name);
}
