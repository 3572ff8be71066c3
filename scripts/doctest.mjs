// Runs every JSDoc `@example` code block of the packages' sources, so documentation cannot rot.
// Each block runs as its own module inside its package (imports of "@wpo/*" resolve to sources),
// with console.assert made fatal. Usage: node scripts/doctest.mjs [package-dir ...]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ["packages/*", "apps/cli"];
const dirs = roots.flatMap((r) =>
  r.endsWith("/*") ? readdirSync(r.slice(0, -2)).map((n) => join(r.slice(0, -2), n)) : [r],
);

function* sources(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sources(path);
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.endsWith(".d.ts")) yield path;
  }
}

function examples(file) {
  const text = readFileSync(file, "utf8");
  const out = [];
  const re = /@example[^\n]*\n((?:\s*\*[^\n]*\n)*?)\s*\*\s*```ts\n([\s\S]*?)\n\s*\*\s*```/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const code = m[2].split("\n").map((l) => l.replace(/^\s*\* ?/, "")).join("\n");
    const line = text.slice(0, m.index).split("\n").length;
    out.push({ code, line });
  }
  return out;
}

const prelude = `console.assert = (ok, ...msg) => { if (!ok) throw new Error("example assertion failed " + msg.join(" ")); };\n`;
const TSX = resolve("node_modules/.bin/tsx");
let passed = 0;
let failed = 0;
for (const dir of dirs) {
  let src;
  try {
    src = join(dir, "src");
    statSync(src);
  } catch {
    continue;
  }
  const tmp = mkdtempSync(join(dir, ".doctest-"));
  try {
    for (const file of sources(src)) {
      for (const { code, line } of examples(file)) {
        const imports = code.split("\n").filter((l) => /^import\s/.test(l));
        const body = code.split("\n").filter((l) => !/^import\s/.test(l));
        const path = join(tmp, `ex_${passed + failed}.ts`);
        writeFileSync(path, `${imports.join("\n")}\n${prelude}${body.join("\n")}\nexport {};\n`);
        const run = spawnSync(TSX, ["--conditions=@wpo/source", resolve(path)], {
          cwd: dir,
          encoding: "utf8",
          timeout: 120_000,
        });
        const where = `${relative(process.cwd(), file)}:${line}`;
        if (run.status === 0) {
          passed++;
        } else {
          failed++;
          console.log(`FAIL ${where}\n${(run.stderr || run.stdout || "").split("\n").slice(0, 12).join("\n")}`);
        }
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
console.log(`Doc examples: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
