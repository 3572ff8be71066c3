import { describeIoError } from "./io_errors.ts";

/**
 * The text `wpo` prints for an error that ends a command: `wpo: <message>`, then the stack with `verbose`
 * or a hint to get it.
 *
 * @param error What was thrown.
 * @param options `verbose`: print the stack.
 * @returns The lines to write to stderr (ending in a newline).
 * @example
 * ```ts
 * import { formatCliError } from "@wpo/cli";
 * console.assert(formatCliError(new Error("bad")).startsWith("wpo: bad\n"));
 * ```
 */
export function formatCliError(error: unknown, options: { verbose?: boolean } = {}): string {
  const e = error as Error;
  const message = describeIoError(error) ?? e?.message ?? String(error);
  const head = `wpo: ${message}\n`;
  if (options.verbose && e?.stack) return `${head}${e.stack}\n`;
  return `${head}(run with --verbose for the stack trace)\n`;
}
