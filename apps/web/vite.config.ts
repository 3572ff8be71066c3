import { readFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defaultClientConditions, defineConfig, type Plugin } from "vite";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const wasmDist = dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"));

/** Files served next to the page: the embedded demo model/tokenizer and tfjs's wasm binaries. */
const STATIC_FILES: Record<string, string> = {
  "demo/stories260K.bin": join(here, "../../assets/stories260K.bin"),
  "demo/tok512.bin": join(here, "../../assets/tok512.bin"),
  "wasm/tfjs-backend-wasm.wasm": join(wasmDist, "tfjs-backend-wasm.wasm"),
  "wasm/tfjs-backend-wasm-simd.wasm": join(wasmDist, "tfjs-backend-wasm-simd.wasm"),
  "wasm/tfjs-backend-wasm-threaded-simd.wasm": join(wasmDist, "tfjs-backend-wasm-threaded-simd.wasm"),
};

/** Copies {@link STATIC_FILES} into the build and serves them in dev, so nothing is duplicated in git. */
function staticFiles(): Plugin {
  return {
    name: "wpo-static-files",
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? "").split("?")[0]!.replace(/^\//, "");
        const source = STATIC_FILES[path];
        if (!source) return next();
        res.setHeader("Content-Type", path.endsWith(".wasm") ? "application/wasm" : "application/octet-stream");
        res.end(readFileSync(source));
      });
    },
    generateBundle() {
      for (const [fileName, source] of Object.entries(STATIC_FILES)) {
        this.emitFile({ type: "asset", fileName, source: readFileSync(source) });
      }
    },
  };
}

const BUILTINS = new Set(builtinModules);
const SHIM_PREFIX = "\0wpo-node-shim:";

/**
 * Node built-ins imported by workspace packages for their Node-only parts (checkpoint
 * files, caches) become modules whose exports throw a clear error if ever called in the
 * page. The export names are read from Node's own module, so any named import binds.
 */
function nodeBuiltinShims(): Plugin {
  return {
    name: "wpo-node-builtin-shims",
    enforce: "pre",
    resolveId(id) {
      const name = id.startsWith("node:") ? id.slice(5) : id;
      return id.startsWith("node:") || BUILTINS.has(name) ? SHIM_PREFIX + name : null;
    },
    async load(id) {
      if (!id.startsWith(SHIM_PREFIX)) return null;
      const name = id.slice(SHIM_PREFIX.length);
      const real = (await import(`node:${name}`)) as Record<string, unknown>;
      const names = Object.keys(real).filter((k) => k !== "default" && /^[A-Za-z_$][\w$]*$/.test(k));
      const lines = [
        `const fail = (what) => () => { throw new Error(\`\${what} is Node-only and not available in the browser.\`); };`,
        ...names.map((k) => `export const ${k} = fail("node:${name}.${k}");`),
        "export default {};",
      ];
      return lines.join("\n");
    },
  };
}

export default defineConfig({
  root: here,
  base: "./",
  resolve: {
    // Workspace packages resolve to their TypeScript sources.
    conditions: ["@wpo/source", ...defaultClientConditions],
    // Dawn (`webgpu`) is Node-only; @wpo/backends imports it lazily on Node, never in a browser.
    alias: { webgpu: resolve(here, "src/_no_dawn.ts") },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 4000,
    // Node-only entry points of dependencies (e.g. hyparquet's file reader, reached through @wpo/data's
    // re-exports) are absent from their browser builds; the page never calls them.
    rollupOptions: { shimMissingExports: true },
  },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
  plugins: [nodeBuiltinShims(), staticFiles()],
});
