import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, test } from "vitest";

// Every `@example` of the package's JSDoc runs here, with `@wpo/losses` pointing at the sources and a
// `console.assert` that throws, so the documentation cannot rot.
const srcDir = fileURLToPath(new URL(".", import.meta.url));
const outDir = fileURLToPath(new URL("../node_modules/.cache/wpo-losses-examples/", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !entry.name.startsWith("_test")
      ? [path]
      : [];
  });
}

function examples(path: string): string[] {
  const text = readFileSync(path, "utf8");
  const blocks = [...text.matchAll(/@example\s*\n\s*\*\s*```ts\n([\s\S]*?)\n\s*\*\s*```/g)];
  return blocks.map((m) => m[1]!.replace(/^\s*\* ?/gm, ""));
}

const cases = sourceFiles(srcDir).flatMap((path) =>
  examples(path).map((code, i) => [`${relative(srcDir, path)} #${i + 1}`, code] as const),
);

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

test("every export documents at least one example", () => {
  expect(cases.length).toBeGreaterThan(25);
});

test.each(cases)("example in %s runs and its assertions hold", async (name, code) => {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${name.replace(/[^a-z0-9]+/gi, "_")}.ts`);
  const modPath = join(srcDir, "mod.ts");
  const header = [
    "const console = { ...globalThis.console, assert(ok: unknown, ...m: unknown[]) {",
    '  if (!ok) throw new Error(["console.assert failed", ...m].join(" "));',
    "} };",
    "",
  ].join("\n");
  writeFileSync(file, `${header}${code.replaceAll('"@wpo/losses"', JSON.stringify(modPath))}\nexport {};\n`);
  await import(/* @vite-ignore */ file);
});
