import { readFileSync } from "node:fs";
import { writeFileSync } from "./_write_file.ts";
import { basename } from "node:path";
import type { ChatMessage } from "@wpo/data";
import { type HybridPairRow, hybridPairsFromSources, type SourcedPrompt } from "@wpo/pipeline";
import type { OptionSpec } from "./cli_args.ts";
import type { CliIo } from "./demo_setup.ts";
import { readRecords } from "./_read_lines.ts";
import { COMMON_OPTIONS } from "./common_options.ts";
import { type BadRowPolicy, badRowPolicy, DATA_OPTIONS } from "./data_options.ts";

/** Options of `wpo pairs`. */
export const PAIRS_OPTIONS: Record<string, OptionSpec> = {
  input: {
    kind: "string",
    default: "samples.jsonl",
    help: "comma-separated scored files: `wpo sample`/`wpo score` JSONL ({prompt, responses: [{text, score, source}]}) or answer files ({instruction|prompt, output|response, score, generator})",
  },
  output: {
    kind: "string",
    default: "pairs.jsonl",
    help: "hybrid-schema JSONL: {prompt, chosen, rejected, chosen_score, rejected_score, chosen_source, rejected_source, chosen_ids, rejected_ids}",
  },
  length_unit: {
    kind: ["chars", "tokens"],
    default: "chars",
    help: "length used by the tie-breaks (tokens needs ids)",
  },
  on_bad_row: DATA_OPTIONS.on_bad_row,
  ...COMMON_OPTIONS,
};

type Raw = Record<string, unknown>;

function readAny(path: string): unknown[] {
  if (path.endsWith(".json")) {
    const doc = JSON.parse(readFileSync(path, "utf8")) as unknown;
    if (!Array.isArray(doc)) throw new TypeError(`File '${path}' must hold a JSON list of rows.`);
    return doc;
  }
  return readRecords(path);
}

const isPrompt = (p: unknown): p is string | ChatMessage[] => typeof p === "string" || Array.isArray(p);

/** One file's rows as sourced prompts: sample lines keep their responses, answer rows become one response. */
function readSourced(path: string, policy: BadRowPolicy): { groups: SourcedPrompt[]; templated: boolean } {
  const fallbackSource = basename(path).replace(/\.(jsonl|json)$/, "");
  const groups: SourcedPrompt[] = [];
  let templated = false;
  for (const [i, value] of readAny(path).entries()) {
    const row = (value ?? {}) as Raw;
    const where = `${path} row ${i + 1}`;
    const fail = (what: string) => policy.bad(where, new TypeError(`File '${path}', row ${i + 1}: ${what}.`));
    if (Array.isArray(row.responses)) {
      if (!isPrompt(row.prompt)) {
        fail("no 'prompt' (string or message list)");
        continue;
      }
      const responses = (row.responses as Raw[]).filter(
        (r) => typeof r?.text === "string" && Number.isFinite(r.score),
      );
      if (responses.length !== row.responses.length) {
        fail("every response needs a 'text' string and a finite 'score'");
        continue;
      }
      templated ||= row.templated === true || Array.isArray(row.prompt);
      groups.push({
        prompt: row.prompt,
        responses: responses.map((r) => ({
          text: r.text as string,
          score: r.score as number,
          source: typeof r.source === "string" ? r.source : "on_policy",
          ...(Array.isArray(r.ids) ? { ids: r.ids as number[] } : {}),
          ...(typeof r.stop === "number" ? { stop: r.stop } : {}),
        })),
      });
      continue;
    }
    const prompt = row.instruction ?? row.prompt;
    const text = row.output ?? row.response;
    if (!isPrompt(prompt) || typeof text !== "string" || !Number.isFinite(row.score)) {
      fail("expected {prompt, responses: [...]} or {instruction|prompt, output|response, score}");
      continue;
    }
    templated = true;
    const source =
      typeof row.source === "string"
        ? row.source
        : typeof row.generator === "string"
          ? row.generator
          : fallbackSource;
    groups.push({ prompt, responses: [{ text, score: row.score as number, source }] });
  }
  return { groups, templated };
}

/** A hybrid row as plain strings, for prompts sampled without a chat template. */
function plain(row: HybridPairRow): Record<string, unknown> {
  const { chosen, rejected, ...rest } = row;
  return { ...rest, chosen: chosen.at(-1)!.content, rejected: rejected.at(-1)!.content };
}

/**
 * `wpo pairs`: hybrid pairs from several scored sources in one call (on-policy samples, external answers such as
 * GPT-4-turbo outputs, a dataset's responses), merged by prompt, with the three hybrid rules (chosen = best score,
 * ties to the shortest; rejected = worst, ties to the length closest to chosen; prompts whose candidates all tie
 * are dropped). Writes hybrid-schema rows (`wpo train --data` reads them; plain strings when no input was
 * templated) and prints how often each source was chosen and rejected.
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
  const policy = badRowPolicy(o.on_bad_row, (l) => io.err.write(`${l}\n`));
  const inputs = String(o.input)
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const groups: SourcedPrompt[] = [];
  let templated = false;
  for (const path of inputs) {
    const r = readSourced(path, policy);
    groups.push(...r.groups);
    templated ||= r.templated;
  }
  const { rows, summary, skipped } = hybridPairsFromSources(groups, {
    lengthUnit: o.length_unit as "chars" | "tokens",
  });
  const lines = rows.map((r) => JSON.stringify(templated ? r : plain(r)));
  writeFileSync(o.output as string, lines.length ? `${lines.join("\n")}\n` : "");
  io.out(
    `wrote ${rows.length} pairs to ${o.output} (skipped prompts: ${Object.entries(skipped)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}${policy.skipped ? `; bad rows skipped: ${policy.skipped}` : ""})`,
  );
  io.out(
    `  ${"source".padEnd(24)} ${"candidates".padStart(10)} ${"chosen".padStart(8)} ${"rejected".padStart(8)}`,
  );
  for (const [source, s] of Object.entries(summary)) {
    io.out(
      `  ${source.padEnd(24)} ${String(s.candidates).padStart(10)} ${String(s.chosen).padStart(8)} ${String(s.rejected).padStart(8)}`,
    );
  }
  return rows.length;
}
