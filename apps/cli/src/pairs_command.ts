import { writeFileSync } from "node:fs";
import { buildHybridPairs, type ScoredPrompt, type ScoredResponse } from "@wpo/data";
import type { OptionSpec } from "./cli_args.ts";
import type { CliIo } from "./demo_setup.ts";
import { readRecords } from "./_read_lines.ts";
import { COMMON_OPTIONS } from "./common_options.ts";
import { badRowPolicy, DATA_OPTIONS } from "./data_options.ts";

/** A scored response as `wpo sample` writes it: with its sampled ids and the stop id it ended on. */
type SampledResponse = ScoredResponse & { stop?: number };

/** The response's sampled ids with the stop token it ended on: exactly what the model produced. */
const withStop = (r: SampledResponse): number[] => (r.stop === undefined ? r.ids! : [...r.ids!, r.stop]);

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
  on_bad_row: DATA_OPTIONS.on_bad_row,
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
  const policy = badRowPolicy(o.on_bad_row, (l) => io.err.write(`${l}\n`));
  const prompts = readRecords(input).filter((r, i) => {
    const row = r as Partial<ScoredPrompt>;
    if ((typeof row.prompt === "string" || Array.isArray(row.prompt)) && Array.isArray(row.responses))
      return true;
    policy.bad(
      `${input} line ${i + 1}`,
      new TypeError(`Samples file '${input}', line ${i + 1}: expected {prompt, responses: [{text, score}]}.`),
    );
    return false;
  }) as ScoredPrompt[];
  const result = buildHybridPairs(prompts, { lengthUnit: o.length_unit as "chars" | "tokens" });
  const lines = result.pairs.map((p) => {
    const src = prompts[p.promptIndex]! as ScoredPrompt & { templated?: boolean };
    const c = src.responses[p.chosenIndex]! as SampledResponse;
    const r = src.responses[p.rejectedIndex]! as SampledResponse;
    const templated = src.templated === true || typeof src.prompt !== "string";
    return JSON.stringify({
      prompt: src.prompt,
      chosen: templated ? p.row.chosen : c.text,
      rejected: templated ? p.row.rejected : r.text,
      chosen_score: p.chosenScore,
      rejected_score: p.rejectedScore,
      ...(c.ids ? { chosen_ids: withStop(c) } : {}),
      ...(r.ids ? { rejected_ids: withStop(r) } : {}),
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
