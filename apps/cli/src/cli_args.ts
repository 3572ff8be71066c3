/** The type of one command-line option. */
export type OptionKind = "number" | "int" | "bool" | "string" | readonly string[];

/** One option of a command: its kind, default and help line. */
export interface OptionSpec {
  /** Value type; a string list means "one of these". */
  kind: OptionKind;
  /** Default value (undefined = unset). */
  default?: number | boolean | string;
  /** One-line help. */
  help: string;
}

/** Parsed options plus positional arguments. */
export interface ParsedArgs {
  /** Option name (snake_case) -> value, only those given. */
  values: Record<string, number | boolean | string>;
  /** Arguments that are not options. */
  positionals: string[];
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, sub));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * Converts a raw value to an option's kind.
 *
 * @param raw The value: a string from the command line, or a value from a config file.
 * @param spec The option's spec and its name (for messages).
 * @returns The typed value.
 * @throws {TypeError} when the value has the wrong type; {RangeError} when it is not one of the choices.
 * @example
 * ```ts
 * import { coerceOption } from "@wpo/cli";
 * console.assert(coerceOption("0.1", { name: "beta", kind: "number", help: "" }) === 0.1);
 * ```
 */
export function coerceOption(raw: unknown, spec: OptionSpec & { name: string }): number | boolean | string {
  const { kind, name } = spec;
  if (kind === "bool") {
    if (typeof raw === "boolean") return raw;
    if (raw === "true" || raw === "1" || raw === "yes") return true;
    if (raw === "false" || raw === "0" || raw === "no") return false;
    throw new TypeError(`Option --${name} expects true or false, got '${String(raw)}'.`);
  }
  if (kind === "number" || kind === "int") {
    const v =
      typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : Number.NaN;
    if (!Number.isFinite(v)) throw new TypeError(`Option --${name} expects a number, got '${String(raw)}'.`);
    if (kind === "int" && !Number.isInteger(v)) {
      throw new TypeError(`Option --${name} expects an integer, got '${String(raw)}'.`);
    }
    return v;
  }
  if (typeof raw !== "string")
    throw new TypeError(`Option --${name} expects text, got ${JSON.stringify(raw)}.`);
  if (Array.isArray(kind) && !kind.includes(raw)) {
    throw new RangeError(`Option --${name}: '${raw}' is not one of ${kind.join(", ")}.`);
  }
  return raw;
}

/**
 * Parses `--name value`, `--name=value` and bare `--flag` (boolean) arguments.
 * Dashes and underscores in names are equivalent (`--learning-rate` = `--learning_rate`).
 *
 * @param argv Arguments after the command name.
 * @param specs Known options by snake_case name.
 * @returns The given options (typed) and the positional arguments.
 * @throws {RangeError} for an unknown option (with a suggestion) or a missing value.
 * @example
 * ```ts
 * import { parseCliArgs } from "@wpo/cli";
 * const { values } = parseCliArgs(["--learning-rate", "1e-4", "--verbose"], {
 *   learning_rate: { kind: "number", help: "" }, verbose: { kind: "bool", help: "" } });
 * console.assert(values.learning_rate === 1e-4 && values.verbose === true);
 * ```
 */
export function parseCliArgs(argv: readonly string[], specs: Record<string, OptionSpec>): ParsedArgs {
  const values: ParsedArgs["values"] = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--") || arg === "--") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = (eq >= 0 ? arg.slice(2, eq) : arg.slice(2)).replace(/-/g, "_");
    // Own keys only: `--constructor`, `--__proto__`, `--toString` must not match Object.prototype.
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec) {
      const close = Object.keys(specs)
        .map((k) => [k, levenshtein(k, name)] as const)
        .sort((a, b) => a[1] - b[1])[0];
      const hint = close && close[1] <= 3 ? ` Did you mean --${close[0]}?` : " Run with --help for the list.";
      throw new RangeError(`Unknown option --${name}.${hint}`);
    }
    let raw: string | undefined;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else if (spec.kind === "bool") {
      const next = argv[i + 1];
      if (next !== undefined && ["true", "false"].includes(next)) {
        raw = next;
        i++;
      } else raw = "true";
    } else {
      raw = argv[i + 1];
      if (raw === undefined || raw.startsWith("--")) throw new RangeError(`Option --${name} needs a value.`);
      i++;
    }
    values[name] = coerceOption(raw, { ...spec, name });
  }
  return { values, positionals };
}

/**
 * Formats a help text listing each option with its default.
 *
 * @param usage The usage line.
 * @param specs Options by name.
 * @returns Help text.
 * @example
 * ```ts
 * import { formatHelp } from "@wpo/cli";
 * console.assert(formatHelp("wpo x", { beta: { kind: "number", default: 0.1, help: "DPO beta" } }).includes("--beta"));
 * ```
 */
export function formatHelp(usage: string, specs: Record<string, OptionSpec>): string {
  const lines = [`Usage: ${usage}`, "", "Options:"];
  for (const [name, spec] of Object.entries(specs)) {
    const kind = Array.isArray(spec.kind) ? spec.kind.join("|") : spec.kind;
    const def = spec.default === undefined ? "" : ` (default ${spec.default})`;
    lines.push(`  --${name} <${kind}>`.padEnd(40) + spec.help + def);
  }
  return `${lines.join("\n")}\n`;
}
