/**
 * The Node-only modules that @wpo/backends loads: child processes (the Dawn probe), Dawn itself (`webgpu`)
 * and the native BLAS addon (`@wpo/blas`). Imported as `#node-only`: package.json "imports" maps it to this
 * file under the `node` condition and to `_node_only.browser.ts` elsewhere, so a browser build carries none.
 * @module
 */
export { spawnSync } from "node:child_process";
export { createRequire } from "node:module";
export { pathToFileURL } from "node:url";

/** Loads Dawn's Node bindings (the optional `webgpu` package). */
export const loadDawn = (): Promise<unknown> => import("webgpu");

/** Loads the native BLAS addon's loader. */
export const loadBlasModule = (): Promise<typeof import("@wpo/blas")> => import("@wpo/blas");
