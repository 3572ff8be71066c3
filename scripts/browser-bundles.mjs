// Bundles every published library package for the browser as an application would: esbuild with
// `--platform=browser`, no externals and no shims, from the package's built exports (`pnpm build` first),
// and prints each bundle's size. Fails when a package pulls a Node-only module into its browser build.
// Packages are found from pnpm-workspace.yaml (published packages under packages/), so new ones are covered.
//
// Usage: node scripts/browser-bundles.mjs
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { workspaceDirs } from "./check-deps.mjs";

const root = join(import.meta.dirname, "..");
const kib = (n) => `${(n / 1024).toFixed(0)} KiB`.padStart(9);

let failed = 0;
const rows = [];
for (const dir of workspaceDirs()) {
  const where = relative(root, dir);
  if (!where.startsWith("packages/")) continue;
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  if (pkg.private) continue;
  try {
    const result = await build({
      stdin: { contents: `export * from ${JSON.stringify(pkg.name)};`, resolveDir: dir, loader: "js" },
      bundle: true,
      write: false,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      logLevel: "silent",
    });
    const code = result.outputFiles[0].contents;
    rows.push(`${pkg.name.padEnd(18)} ${kib(code.length)} minified ${kib(gzipSync(code).length)} gzip`);
  } catch (error) {
    failed++;
    const messages = (error.errors ?? [{ text: error.message }]).slice(0, 5);
    const where = (m) => (m.location ? ` (${m.location.file}:${m.location.line})` : "");
    rows.push(`${pkg.name.padEnd(18)} FAILED: ${messages.map((m) => m.text + where(m)).join("; ")}`);
  }
}
console.log(rows.join("\n"));
console.log(`browser-bundles: ${rows.length - failed} bundled, ${failed} failed`);
process.exit(failed ? 1 : 0);
