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

/** GPT-2's byte -> printable character map (ByteLevel). */
function byteChars(): string[] {
  const keep = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  let extra = 0;
  return Array.from({ length: 256 }, (_, b) => String.fromCodePoint(keep(b) ? b : 256 + extra++));
}

/**
 * Writes a tiny byte-level BPE tokenizer (256 byte tokens, `<s>` = 256, `</s>` = 257, no merges) into `dir`:
 * tokenizer.json (with a Split pre-tokenizer on `splitRegex` when given) and tokenizer_config.json (with
 * `chatTemplate` when given). Its ids fit the bundled stories260K model (vocabulary 512).
 */
export function toyTokenizer(
  dir: string,
  options: { splitRegex?: string; chatTemplate?: string } = {},
): string {
  const vocab: Record<string, number> = {};
  byteChars().forEach((c, i) => {
    vocab[c] = i;
  });
  const byteLevel = { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: false };
  const pre = options.splitRegex
    ? {
        type: "Sequence",
        pretokenizers: [
          { type: "Split", pattern: { Regex: options.splitRegex }, behavior: "Isolated", invert: false },
          byteLevel,
        ],
      }
    : byteLevel;
  const special = (id: number, content: string) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  writeFileSync(
    join(dir, "tokenizer.json"),
    JSON.stringify({
      version: "1.0",
      added_tokens: [special(256, "<s>"), special(257, "</s>")],
      normalizer: null,
      pre_tokenizer: pre,
      post_processor: null,
      decoder: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: false },
      model: { type: "BPE", vocab: { ...vocab, "<s>": 256, "</s>": 257 }, merges: [] },
    }),
  );
  writeFileSync(
    join(dir, "tokenizer_config.json"),
    JSON.stringify({
      bos_token: "<s>",
      eos_token: "</s>",
      ...(options.chatTemplate ? { chat_template: options.chatTemplate } : {}),
    }),
  );
  return join(dir, "tokenizer.json");
}
