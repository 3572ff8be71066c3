import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));

/** A short run: the bundled stories260K, 4 tiny pairs, 3 optimizer steps of 2 pairs, a metrics line per step. */
const RUN = [
  "--per_device_train_batch_size=2",
  "--max_steps=3",
  "--logging_steps=1",
  "--learning_rate=1e-3",
  "--seed=7",
];

/**
 * Step 1's loss is a forward pass of the initial weights on the same batch: float32 on both backends, different
 * summation orders and exp/log implementations, so 1e-5 relative (the project's value tolerance). Its gradient
 * norm: 1e-4 relative (the gradient tolerance).
 */
const TOL = { loss: 1e-5, gradNorm: 1e-4 };

/** A process run to its end: exit code, output, wall seconds. */
interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/**
 * Runs `wpo` from its TypeScript sources (`src/bin.ts` through tsx, workspace packages from their sources) in a
 * child process, and waits until it exits by itself; after `deadlineMs` it is killed and reported as such.
 */
function runWpo(args: string[], deadlineMs: number): Promise<Finished> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ["--conditions=@wpo/source", "--import", "tsx", join(here, "bin.ts"), ...args],
    // Dawn's OpenGL ES adapter renders offscreen without a display.
    { env: { ...process.env, EGL_PLATFORM: "surfaceless" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), deadlineMs);
  return new Promise((resolve) => {
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, seconds: (performance.now() - started) / 1000 });
    });
  });
}

function metrics(outputDir: string): Record<string, number>[] {
  return readFileSync(join(outputDir, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, number>);
}

function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
}

describe("wpo train --backend webgpu (Dawn in Node; without a GPU, its OpenGL ES adapter on Mesa llvmpipe)", () => {
  it("trains a few steps on the bundled stories260K, exits by itself, and step 1 equals the cpu run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wpo-webgpu-"));
    const data = join(dir, "pairs.jsonl");
    const rows = [
      ["Lily went to the park.", " She smiled and laughed.", " She was sad."],
      ["Tom had a ball.", " He had fun with his friends.", " He cried."],
      ["Sue saw a bird.", " She was happy and sang.", " She was scared."],
      ["Ben found a box.", " He was glad and hugged his mom.", " He was angry."],
    ];
    writeFileSync(
      data,
      rows.map(([prompt, chosen, rejected]) => JSON.stringify({ prompt, chosen, rejected })).join("\n"),
    );
    const runs: Record<string, { out: string; run: Finished }> = {};
    for (const backend of ["webgpu", "cpu"]) {
      const out = join(dir, backend);
      // `--backend=webgpu` never falls back: without a WebGPU adapter the command fails (exit 1, `wpo: ...`).
      const run = await runWpo(
        ["train", `--backend=${backend}`, `--data=${data}`, `--output_dir=${out}`, ...RUN],
        60_000,
      );
      const detail = `${backend}: exit ${run.code} ${run.signal ?? ""} after ${run.seconds.toFixed(1)} s\n${run.stdout}\n${run.stderr}`;
      expect(run.signal, detail).toBeNull();
      expect(run.code, detail).toBe(0);
      expect(run.stdout, detail).toMatch(/done at step 3\/3/);
      runs[backend] = { out, run };
    }
    const gpu = metrics(runs.webgpu!.out);
    const cpu = metrics(runs.cpu!.out);
    expect(gpu.map((r) => r.step)).toEqual([1, 2, 3]);
    for (const r of gpu) {
      for (const k of ["loss", "grad_norm", "rewards/margins", "wpo/weight_mean"]) {
        expect(Number.isFinite(r[k]), `webgpu step ${r.step} ${k} = ${r[k]}`).toBe(true);
      }
    }
    expect(existsSync(join(runs.webgpu!.out, "checkpoint-3", "model.safetensors"))).toBe(true);
    const table = gpu.map((r, i) => ({ step: r.step, webgpu: r.loss, cpu: cpu[i]?.loss }));
    const seconds = `webgpu ${runs.webgpu!.run.seconds.toFixed(1)} s, cpu ${runs.cpu!.run.seconds.toFixed(1)} s`;
    console.log(`wpo train webgpu vs cpu losses: ${JSON.stringify(table)}; ${seconds}`);
    const [g1, c1] = [gpu[0] ?? {}, cpu[0] ?? {}];
    expect(relDiff(Number(g1.loss), Number(c1.loss)), JSON.stringify(table)).toBeLessThan(TOL.loss);
    expect(relDiff(Number(g1.grad_norm), Number(c1.grad_norm))).toBeLessThan(TOL.gradNorm);
  }, 150_000);
});
