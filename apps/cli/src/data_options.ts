import type { OptionSpec } from "./cli_args.ts";

/**
 * `--chat_template` and `--on_bad_row`: accepted by every command that reads a data file.
 *
 * @example
 * ```ts
 * import { DATA_OPTIONS } from "@wpo/cli";
 * console.assert(DATA_OPTIONS.on_bad_row.default === "error");
 * ```
 */
export const DATA_OPTIONS = {
  chat_template: {
    kind: "string",
    help: "Jinja file, tokenizer_config.json, a name (llama3, chatml, hh) or none; default: the tokenizer's own",
  },
  on_bad_row: {
    kind: ["error", "skip", "warn"],
    default: "error",
    help: "a row that does not fit: stop with its file, row and field; skip and count it; or skip and print it",
  },
} as const satisfies Record<string, OptionSpec>;

/** How a command treats bad rows, from `--on_bad_row`. */
export interface BadRowPolicy {
  /** What the `@wpo/data` readers get: `error` or `skip`. */
  onBadRow: "error" | "skip";
  /**
   * Handles one bad row: rethrows under `error`; under `warn` prints it; under `skip` only counts it.
   *
   * @returns Nothing; throws under `error`.
   */
  bad(where: string, error: unknown): void;
  /** Rows skipped through {@linkcode BadRowPolicy.bad}. */
  readonly skipped: number;
}

/**
 * The bad-row policy of a command's options.
 *
 * @param value `--on_bad_row` (error, skip, warn; default error).
 * @param warn Where warnings go.
 * @returns The policy.
 * @example
 * ```ts
 * import { badRowPolicy } from "@wpo/cli";
 * const lines: string[] = [];
 * const p = badRowPolicy("warn", (l) => lines.push(l));
 * p.bad("d.jsonl row 3", new Error("no prompt"));
 * console.assert(p.onBadRow === "skip" && p.skipped === 1 && lines[0]!.includes("row 3"));
 * ```
 */
export function badRowPolicy(value: unknown, warn: (line: string) => void): BadRowPolicy {
  const mode = (value ?? "error") as "error" | "skip" | "warn";
  let skipped = 0;
  return {
    onBadRow: mode === "error" ? "error" : "skip",
    bad(where, error) {
      if (mode === "error") throw error;
      skipped++;
      if (mode === "warn") warn(`wpo: skipped ${where}: ${(error as Error).message}`);
    },
    get skipped() {
      return skipped;
    },
  };
}
