/**
 * What `wpo` tells the user when the wasm backend runs without the native BLAS addon (several times slower).
 *
 * @param info The backend `initBackend` chose, and its notes.
 * @returns The line to print on stderr, or undefined when nothing is missing.
 * @example
 * ```ts
 * import { missingBlasNote } from "@wpo/cli";
 * const note = missingBlasNote({ name: "wasm", notes: ["matmul: native BLAS unavailable (no libopenblas); using wasm matmul"] });
 * console.assert(note?.includes("libopenblas-dev") === true);
 * console.assert(missingBlasNote({ name: "cpu", notes: [] }) === undefined);
 * ```
 */
export function missingBlasNote(info: { name: string; notes: readonly string[] }): string | undefined {
  if (info.name !== "wasm") return undefined;
  const why = info.notes.find((n) => /native BLAS unavailable|@wpo\/blas not loadable/.test(n));
  if (!why) return undefined;
  return (
    `wpo: note: native BLAS is missing, so training runs several times slower (${why}). ` +
    "Add it: `apt-get install gcc make libopenblas-dev` (or `bash scripts/setup-system.sh --main` as root in a " +
    "clone), then `npm rebuild @wpo/blas` (in a clone: `pnpm --filter @wpo/blas build:native`).\n"
  );
}
