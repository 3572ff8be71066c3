// Checks that every workspace package declares exactly what its published code imports, and that no
// package imports across a line that docs/architecture.md forbids ("Dependency rules").
//
// - "Real imports" are the bare imports that esbuild finds reachable from the package's entry points
//   (the `@wpo/source` targets of `exports`, the sources of `bin`; for a private app without either, every
//   non-test file of src/), on both the node and the browser side of `imports`/`exports` conditions.
//   Type-only imports are erased, test files and test helpers are not reachable and do not count; a package
//   located with `require.resolve("pkg/file")` counts.
// - Every real import must be a dependency, optional dependency or peer dependency.
// - Every dependency and optional dependency must be really imported, or be a peer dependency of another
//   declared workspace dependency (an application holds the one tfjs-core its packages share).
// - A peer dependency that is not imported (e.g. @wpo/backends, whose `initBackend` registers the gradients
//   the package needs) must be documented: the package's README.md names it.
// - No real import or dependency may cross a forbidden arrow, and the workspace graph has no cycle.
//
// Checked: every published package, and the private ones under apps/ (private test suites and benchmarks
// only have devDependencies by intent). Packages are found from pnpm-workspace.yaml, so new ones are covered.
// Usage: node scripts/check-deps.mjs  (exit 1 on any problem).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, relative } from "node:path";
import { build } from "esbuild";

const root = join(import.meta.dirname, "..");

/** Dependencies that another change removes; reported, not failed, until then. */
const PENDING_REMOVAL = new Set([]);

/** The package folders named by pnpm-workspace.yaml's `packages:` globs (`dir/*` or `dir`). */
export function workspaceDirs() {
  const yaml = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8");
  const block = yaml.split(/^packages:\s*$/m)[1]?.split(/^\S/m)[0] ?? "";
  const globs = [...block.matchAll(/^\s+-\s+["']?([^"'\n]+)["']?\s*$/gm)].map((m) => m[1].trim());
  const dirs = [];
  for (const glob of globs) {
    if (glob.endsWith("/*")) {
      const parent = join(root, glob.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const name of readdirSync(parent).sort()) {
        if (existsSync(join(parent, name, "package.json"))) dirs.push(join(parent, name));
      }
    } else if (existsSync(join(root, glob, "package.json"))) {
      dirs.push(join(root, glob));
    }
  }
  return dirs;
}

function sourceTargets(exportsField) {
  const out = [];
  const walk = (node, underSource) => {
    if (typeof node === "string") {
      if (underSource) out.push(node);
    } else if (node && typeof node === "object") {
      for (const [key, value] of Object.entries(node)) walk(value, underSource || key === "@wpo/source");
    }
  };
  walk(exportsField, false);
  return out;
}

function listSources(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listSources(path));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) && !/^_test/.test(name)) out.push(path);
  }
  return out;
}

function entryPoints(dir, pkg) {
  const entries = sourceTargets(pkg.exports ?? {}).map((p) => join(dir, p));
  const bins = typeof pkg.bin === "string" ? [pkg.bin] : Object.values(pkg.bin ?? {});
  for (const bin of bins) {
    const source = join(dir, bin.replace(/^\.?\/?dist\//, "src/").replace(/\.js$/, ".ts"));
    if (existsSync(source)) entries.push(source);
  }
  if (entries.length === 0 && existsSync(join(dir, "src"))) entries.push(...listSources(join(dir, "src")));
  return [...new Set(entries)];
}

const BUILTINS = new Set(builtinModules);
const packageName = (spec) =>
  spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];

async function realImports(dir, entries) {
  const found = new Map();
  for (const platform of ["node", "browser"]) {
    const result = await build({
      absWorkingDir: dir,
      entryPoints: entries,
      bundle: true,
      write: false,
      outdir: "out",
      metafile: true,
      format: "esm",
      platform,
      packages: "external",
      external: ["node:*", ...builtinModules],
      conditions: ["@wpo/source"],
      logLevel: "silent",
    });
    for (const [file, input] of Object.entries(result.metafile.inputs)) {
      // Files a module finds through `require.resolve("pkg/...")` (e.g. a data file of a package) count too.
      const text = readFileSync(join(dir, file), "utf8");
      for (const m of text.matchAll(/\.resolve\(\s*"([^"./][^"]*)"\s*\)/g)) {
        const name = packageName(m[1]);
        if (!BUILTINS.has(name) && !found.has(name)) found.set(name, file);
      }
      for (const imp of input.imports) {
        if (!imp.external || imp.path.startsWith("node:") || BUILTINS.has(imp.path.split("/")[0])) continue;
        if (imp.path.startsWith(".") || imp.path.startsWith("/") || imp.path.startsWith("#")) continue;
        const name = packageName(imp.path);
        if (!found.has(name)) found.set(name, file);
      }
    }
  }
  return found;
}

/** Forbidden arrows: the fenced `deps-rules` block of docs/architecture.md, lines `FROM !-> TO` (globs). */
function forbiddenArrows() {
  const doc = readFileSync(join(root, "docs/architecture.md"), "utf8");
  const block = doc.match(/```text deps-rules\n([\s\S]*?)```/)?.[1];
  if (!block) throw new Error("check-deps: docs/architecture.md has no ```text deps-rules block");
  return block
    .split("\n")
    .map((line) => line.replace(/#.*/, "").trim())
    .filter(Boolean)
    .map((line) => {
      const [from, to] = line.split(/\s+!->\s+/);
      if (!from || !to) throw new Error(`check-deps: cannot read the rule "${line}" in docs/architecture.md`);
      return { line, from: globToRegExp(from), to: globToRegExp(to) };
    });
}

function globToRegExp(glob) {
  const body = glob
    .replace(/[.+^$()|[\]\\]/g, "\\$&")
    .replace(/\{([^}]*)\}/g, (_, alts) => `(?:${alts.split(",").join("|")})`)
    .replace(/\*/g, ".*");
  return new RegExp(`^${body}$`);
}

async function main() {
  const problems = [];
  const notes = [];
  const rules = forbiddenArrows();
  const graph = new Map();
  const manifests = new Map();
  for (const dir of workspaceDirs()) {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    manifests.set(pkg.name, pkg);
  }
  for (const dir of workspaceDirs()) {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const where = relative(root, dir);
    if (pkg.private && !where.startsWith("apps/")) continue;
    const entries = entryPoints(dir, pkg);
    if (entries.length === 0) continue;
    const imports = await realImports(dir, entries);
    imports.delete(pkg.name);
    const deps = new Set([
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.optionalDependencies ?? {}),
    ]);
    const peers = new Set(Object.keys(pkg.peerDependencies ?? {}));
    const readme = existsSync(join(dir, "README.md")) ? readFileSync(join(dir, "README.md"), "utf8") : "";
    for (const [name, file] of imports) {
      if (!deps.has(name) && !peers.has(name)) {
        problems.push(
          `${where}: ${relative(root, join(dir, file))} imports ${name}, which package.json does not declare`,
        );
      }
    }
    const peersOfDeps = new Set(
      [...deps].flatMap((name) => Object.keys(manifests.get(name)?.peerDependencies ?? {})),
    );
    for (const name of deps) {
      if (imports.has(name) || peersOfDeps.has(name)) continue;
      const arrow = `${pkg.name} -> ${name}`;
      if (PENDING_REMOVAL.has(arrow))
        notes.push(`${where}: declares ${name} but never imports it (removal pending)`);
      else
        problems.push(
          `${where}: declares the dependency ${name}, but nothing reachable from its entry points imports it`,
        );
    }
    for (const name of peers) {
      if (!imports.has(name) && !deps.has(name) && !readme.includes(name)) {
        problems.push(
          `${where}: peer dependency ${name} is never imported and its README.md does not tell users to install it`,
        );
      }
    }
    const edges = new Set([...imports.keys(), ...deps]);
    graph.set(pkg.name, edges);
    for (const to of edges) {
      for (const rule of rules) {
        if (rule.from.test(pkg.name) && rule.to.test(to)) {
          problems.push(
            `${where}: ${pkg.name} -> ${to} crosses the forbidden arrow "${rule.line}" (docs/architecture.md)`,
          );
        }
      }
    }
  }
  const state = new Map();
  const visit = (name, path) => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "open") {
      problems.push(`dependency cycle: ${[...path.slice(path.indexOf(name)), name].join(" -> ")}`);
      return;
    }
    state.set(name, "open");
    for (const to of graph.get(name) ?? []) if (graph.has(to)) visit(to, [...path, name]);
    state.set(name, "done");
  };
  for (const name of graph.keys()) visit(name, []);
  for (const note of notes) console.log(`check-deps: note: ${note}`);
  for (const problem of problems) console.error(`check-deps: ${problem}`);
  console.log(`check-deps: ${graph.size} packages, ${problems.length} problem(s)`);
  process.exit(problems.length ? 1 : 0);
}

if (process.argv[1] === import.meta.filename) await main();
