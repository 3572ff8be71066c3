/**
 * The Node built-ins that @wpo/llama uses (files, paths). Imported as `#node-only`: package.json "imports"
 * maps it to this file under the `node` condition and to `_node_only.browser.ts` elsewhere, so the browser
 * build carries no Node module.
 * @module
 */
export { access, mkdir, readFile, writeFile } from "node:fs/promises";
export { join } from "node:path";
