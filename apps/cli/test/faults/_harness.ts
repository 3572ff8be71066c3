import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatCliError } from "../../src/cli_error.ts";
import { runCli } from "../../src/main.ts";

/** What a `wpo` run printed and returned. */
export interface WpoRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `wpo` in this process the way bin.ts does: exit code 1 and `wpo: <message>` on an error. */
export async function wpo(argv: readonly string[]): Promise<WpoRun> {
  const out: string[] = [];
  let stderr = "";
  const err = {
    write: (s: string) => {
      stderr += s;
      return true;
    },
  };
  const io = { out: (l: string) => out.push(l), err };
  try {
    const code = await runCli(argv, io);
    return { code, stdout: out.join("\n"), stderr };
  } catch (error) {
    return { code: 1, stdout: out.join("\n"), stderr: stderr + formatCliError(error) };
  }
}

const BIN = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "src", "bin.ts");

/** Runs the `wpo` bin (TypeScript source through tsx) in a child process, killed after `timeoutMs`. */
export function wpoProcess(
  argv: readonly string[],
  options: { timeoutMs?: number; onStdout?: (text: string, kill: (s: NodeJS.Signals) => void) => void } = {},
): Promise<WpoRun & { signal: NodeJS.Signals | null; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ["--conditions=@wpo/source", "--import", "tsx", BIN, ...argv], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
    options.onStdout?.(stdout, (s) => child.kill(s));
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20_000);
  return new Promise((resolve) =>
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, signal, stdout, stderr, ms: Date.now() - started });
    }),
  );
}

/** A fresh temporary folder. */
export function tempDir(prefix = "wpo-fault-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Four tiny preference rows for the bundled stories260K model. */
export function tinyData(dir: string, name = "pairs.jsonl"): string {
  const rows = [
    ["Lily went to the park.", " She smiled and laughed.", " She was sad."],
    ["Tom had a ball.", " He had fun with his friends.", " He cried."],
    ["The sun was bright.", " Everyone was happy.", " Everyone was mad."],
    ["A dog ran.", " The dog was glad.", " The dog was scared."],
  ];
  const path = join(dir, name);
  writeFileSync(
    path,
    rows.map(([prompt, chosen, rejected]) => JSON.stringify({ prompt, chosen, rejected })).join("\n"),
  );
  return path;
}

/** `wpo train` arguments of a tiny run (stories260K on cpu, 2 pairs per step, 4 steps over 2 epochs). */
export function tinyTrainArgs(data: string, out: string): string[] {
  return [
    "train",
    `--data=${data}`,
    "--backend=cpu",
    `--output_dir=${out}`,
    "--per_device_train_batch_size=2",
    "--num_train_epochs=2",
    "--learning_rate=1e-3",
    "--save_steps=1",
    "--logging_steps=1",
  ];
}

/** Every file under a folder with its bytes (to prove that a refused command changed nothing). */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(p, readFileSync(p).toString("base64"));
    }
  };
  walk(dir);
  return out;
}

/** The `step` of every line of a metrics.jsonl. */
export function metricSteps(path: string): number[] {
  return readFileSync(path, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l).step as number);
}
