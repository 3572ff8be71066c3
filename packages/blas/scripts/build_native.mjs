#!/usr/bin/env node
/**
 * Builds the optional native addon build/wpo_blas.node from native/*.c with the
 * system C compiler against OpenBLAS (Debian: libopenblas0-pthread, or libopenblas-dev).
 * Needs only Node-API headers (from the Node installation) and the OpenBLAS runtime
 * library. Never fails the install: when something is missing it writes the reason to
 * build/status.json, and @wpo/blas reports itself unavailable (the wasm backend then
 * keeps its own matmul). Run: `node scripts/build_native.mjs` (WPO_BLAS_SKIP=1 skips).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build");
mkdirSync(out, { recursive: true });
const status = (s) => writeFileSync(join(out, "status.json"), `${JSON.stringify(s, null, 2)}\n`);

function findHeaders() {
  const candidates = [
    join(dirname(process.execPath), "..", "include", "node"),
    "/usr/include/node",
    "/usr/local/include/node",
  ];
  return candidates.find((d) => existsSync(join(d, "node_api.h")));
}

function findOpenBlas() {
  const dirs = [
    "/usr/lib/x86_64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/usr/lib64",
    "/usr/lib",
    "/usr/local/lib",
    "/opt/homebrew/opt/openblas/lib",
    "/usr/local/opt/openblas/lib",
  ];
  for (const dir of dirs) {
    for (const name of ["libopenblas.so", "libopenblas.so.0", "libopenblas.dylib"]) {
      if (existsSync(join(dir, name))) return { dir, name };
    }
  }
  return undefined;
}

function main() {
  if (process.env.WPO_BLAS_SKIP === "1") return status({ built: false, reason: "WPO_BLAS_SKIP=1" });
  const headers = findHeaders();
  if (!headers)
    return status({
      built: false,
      reason: "Node-API headers (node_api.h) not found next to the node binary or in /usr/include/node",
    });
  const blas = findOpenBlas();
  if (!blas)
    return status({
      built: false,
      reason: "OpenBLAS not found; install it (Debian: apt-get install libopenblas0-pthread)",
    });
  const cc = process.env.CC ?? "cc";
  const sources = readdirSync(join(root, "native"))
    .filter((f) => f.endsWith(".c"))
    .sort()
    .map((f) => join(root, "native", f));
  const lib =
    blas.name === "libopenblas.so" || blas.name.endsWith(".dylib") ? "-lopenblas" : `-l:${blas.name}`;
  const args = [
    "-O3",
    "-fno-math-errno",
    // No fused multiply-add: every kernel must round each float32 operation as the other backends do.
    "-ffp-contract=off",
    "-shared",
    "-fPIC",
    "-Wall",
    "-o",
    join(out, "wpo_blas.node"),
    `-I${headers}`,
    ...sources,
    `-L${blas.dir}`,
    lib,
    `-Wl,-rpath,${blas.dir}`,
    "-lm",
  ];
  if (process.platform === "darwin") args.push("-undefined", "dynamic_lookup");
  // OpenMP threads the element-wise kernels and -march=native vectorises them for this CPU; a compiler
  // without either (e.g. Apple clang has no OpenMP) builds the same code single-threaded / generic.
  const tuned = ["-fopenmp", "-march=native"];
  let flags = tuned;
  try {
    execFileSync(cc, [...tuned, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  } catch {
    flags = [];
    try {
      execFileSync(cc, args, { stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
      const stderr = String(error.stderr ?? error.message).slice(0, 2000);
      console.warn(
        `@wpo/blas: native addon not built (${cc} failed); the wasm backend will use its own matmul.\n${stderr}`,
      );
      return status({ built: false, reason: `${cc} failed: ${stderr}` });
    }
  }
  status({ built: true, headers, blas: join(blas.dir, blas.name), compiler: cc, flags });
  console.log(`@wpo/blas: built build/wpo_blas.node against ${join(blas.dir, blas.name)}`);
}

main();
