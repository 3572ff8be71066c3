/**
 * The Node built-ins that @wpo/llama uses (files, paths). Imported as `#node-only`: package.json "imports"
 * maps it to this file under the `node` condition and to `_node_only.browser.ts` elsewhere, so the browser
 * build carries no Node module.
 * @module
 */
export { createHash } from "node:crypto";
export { access, mkdir, open, readFile, readdir, stat, writeFile } from "node:fs/promises";
export { isAbsolute, join, relative, resolve } from "node:path";
