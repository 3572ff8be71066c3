import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

// Runs every ```ts block of the JSDoc in src/*.ts from packages/tokenizer (as scripts/doctest.mjs does).
const srcDir = fileURLToPath(new URL(".", import.meta.url));
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const scratch = mkdtempSync(join(srcDir, "../.doc-examples-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const examples: [string, string][] = [];
for (const file of readdirSync(srcDir).sort()) {
  if (!file.endsWith(".ts") || file.endsWith(".test.ts") || file.startsWith("_")) continue;
  const text = readFileSync(join(srcDir, file), "utf8");
  const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)];
  blocks.forEach((m, i) => {
    const code = m[1]!
      .split("\n")
      .map((line) => line.replace(/^\s*\* ?/, ""))
      .join("\n")
      .replaceAll('"@wpo/tokenizer"', JSON.stringify(join(srcDir, "mod.ts")));
    examples.push([`${file} #${i + 1}`, code]);
  });
}

describe("JSDoc examples", () => {
  it("exist for the public API", () => {
    expect(examples.length).toBeGreaterThanOrEqual(12);
  });
  it.each(examples)("%s runs", async (name, code) => {
    const path = join(scratch, `${name.replace(/[^a-z0-9]+/gi, "_")}.ts`);
    writeFileSync(path, `${code}\nexport {};\n`);
    const cwd = process.cwd();
    process.chdir(packageDir);
    try {
      await import(/* @vite-ignore */ path);
    } finally {
      process.chdir(cwd);
    }
  });
});
