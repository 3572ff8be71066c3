import { writeFileSync } from "./_write_file.ts";
import { buildHybridPairs, type ScoredPrompt } from "@wpo/data";
import type { OptionSpec } from "./cli_args.ts";
import type { CliIo } from "./demo_setup.ts";
import { readRecords } from "./_read_lines.ts";
import { COMMON_OPTIONS } from "./common_options.ts";

/** Options of `wpo pairs`. */
export const PAIRS_OPTIONS: Record<string, OptionSpec> = {
  input: {
    kind: "string",
    default: "samples.jsonl",
    help: "scored samples: JSONL of {prompt, responses: [{text, score}]}",
  },
  output: {
    kind: "string",
    default: "pairs.jsonl",
    help: "preference pairs JSONL: {prompt, chosen, rejected, ...}",
  },
  length_unit: {
    kind: ["chars", "tokens"],
    default: "chars",
    help: "length used by the tie-breaks (tokens needs ids)",
  },
  ...COMMON_OPTIONS,
};

/**
 * `wpo pairs`: hybrid pair construction from scored samples (chosen = best score, ties
 * to the shortest; rejected = worst, ties to the length closest to chosen; prompts whose
 * responses all tie are dropped). Writes plain-string rows `wpo train --data` reads.
 *
 * @param o Parsed options.
 * @param io Output streams.
 * @returns Number of pairs written.
 * @example
 * ```ts
 * import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 * import { runPairs } from "@wpo/cli";
 * const dir = mkdtempSync(join(tmpdir(), "wpo-"));
 * writeFileSync(join(dir, "s.jsonl"), JSON.stringify({ prompt: "p", responses: [{ text: "fun", score: 1 }, { text: "sad", score: -1 }] }));
 * const n = await runPairs({ input: join(dir, "s.jsonl"), output: join(dir, "p.jsonl"), length_unit: "chars" },
 *   { out: () => {}, err: { write: () => true } });
 * console.assert(n === 1 && JSON.parse(readFileSync(join(dir, "p.jsonl"), "utf8")).chosen === "fun");
 * ```
 */
export async function runPairs(o: Record<string, unknown>, io: CliIo): Promise<number> {
  const input = o.input as string;
  const prompts = readRecords(input).map((r, i) => {
    const row = r as Partial<ScoredPrompt>;
    if (typeof row.prompt !== "string" || !Array.isArray(row.responses)) {
      throw new TypeError(
        `Samples file '${input}', line ${i + 1}: expected {prompt: string, responses: [{text, score}]}.`,
      );
    }
    return row as ScoredPrompt;
  });
  const result = buildHybridPairs(prompts, { lengthUnit: o.length_unit as "chars" | "tokens" });
  const lines = result.pairs.map((p) => {
    const src = prompts[p.promptIndex]!;
    return JSON.stringify({
      prompt: src.prompt,
      chosen: src.responses[p.chosenIndex]!.text,
      rejected: src.responses[p.rejectedIndex]!.text,
      chosen_score: p.chosenScore,
      rejected_score: p.rejectedScore,
    });
  });
  writeFileSync(o.output as string, lines.length ? `${lines.join("\n")}\n` : "");
  io.out(
    `wrote ${result.pairs.length} pairs to ${o.output} (skipped: ${Object.entries(result.skipped)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")})`,
  );
  return result.pairs.length;
}
