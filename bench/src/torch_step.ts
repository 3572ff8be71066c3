import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { BenchConfig } from "./bench_config.ts";
import type { PhaseTimes } from "./step_tfjs.ts";

/** One PyTorch measurement, as tools/reference/bench_step.py prints it. */
export interface TorchResult {
  threads: number;
  step_ms: number;
  steps_ms: number[];
  tokens_per_s: number;
  phases_ms: PhaseTimes;
  loss: number;
  peak_rss_mb: number;
  /** The environment it ran with (thread settings). */
  env: Record<string, string>;
}

const SCRIPT = fileURLToPath(new URL("../../tools/reference/bench_step.py", import.meta.url));
const PYTHON = "/usr/bin/python3";

/**
 * Runs the PyTorch twin of the step in a child process. OMP_WAIT_POLICY=PASSIVE stops
 * idle OpenMP workers from spinning on the cores OpenBLAS's own threads need (with the
 * default active wait and 2 OpenMP threads the step is several times slower here).
 */
export function benchTorchStep(
  c: BenchConfig,
  options: { steps: number; warmup: number; threads?: number },
): TorchResult | { error: string } {
  if (!existsSync(PYTHON))
    return { error: `${PYTHON} not found (apt-get install python3-torch libopenblas0-pthread)` };
  const env: Record<string, string> = { OMP_WAIT_POLICY: "PASSIVE" };
  if (options.threads !== undefined) env.WPO_TORCH_THREADS = String(options.threads);
  const r = spawnSync(PYTHON, [SCRIPT, JSON.stringify(c), String(options.steps), String(options.warmup)], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  const line = r.stdout?.trim().split("\n").pop() ?? "";
  try {
    return { ...(JSON.parse(line) as Omit<TorchResult, "env">), env };
  } catch {
    return { error: `bench_step.py failed (status ${r.status}): ${(r.stderr ?? "").slice(-500)}` };
  }
}
