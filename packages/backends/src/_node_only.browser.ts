/**
 * The browser side of `#node-only` for @wpo/backends: the same names and types; each call fails with an
 * error that says which Node-only facility was asked for.
 * @module
 */
import type * as childProcessTypes from "node:child_process";
import type * as moduleTypes from "node:module";
import type * as urlTypes from "node:url";

function nodeOnly(what: string): () => never {
  return () => {
    throw new Error(`@wpo/backends: ${what} is Node-only and not available in this runtime.`);
  };
}

export const spawnSync = nodeOnly(
  "node:child_process spawnSync",
) as unknown as typeof childProcessTypes.spawnSync;
export const createRequire = nodeOnly(
  "node:module createRequire",
) as unknown as typeof moduleTypes.createRequire;
export const pathToFileURL = nodeOnly("node:url pathToFileURL") as unknown as typeof urlTypes.pathToFileURL;

/** Dawn (the `webgpu` package) runs in Node only; browsers have `navigator.gpu`. */
export const loadDawn = (): Promise<unknown> =>
  Promise.reject(new Error("Dawn (the 'webgpu' package) is Node-only; browsers use navigator.gpu."));

/** The native BLAS addon is Node-only. */
export const loadBlasModule = (): Promise<typeof import("@wpo/blas")> =>
  Promise.reject(new Error("@wpo/blas (native BLAS) is Node-only."));
