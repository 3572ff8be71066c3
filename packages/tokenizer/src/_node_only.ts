/**
 * The Node built-ins that @wpo/tokenizer uses (files, paths). Imported as `#node-only`: package.json "imports"
 * maps it to this file under the `node` condition and to `_node_only.browser.ts` elsewhere, so the browser
 * build carries no Node module.
 * @module
 */
export { readFile } from "node:fs/promises";
export { dirname, join } from "node:path";
