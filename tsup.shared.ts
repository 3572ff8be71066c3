import type { Options } from "tsup";

/**
 * Build settings shared by every package: ESM, declarations and sourcemaps from
 * `src/mod.ts`. Node built-ins, tfjs, optional native packages and every `@wpo/*`
 * package stay external so that one process holds one copy of each.
 */
export const sharedTsupConfig: Options = {
  entry: ["src/mod.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  tsconfig: "tsconfig.build.json",
  external: [/^@tensorflow\//, /^@wpo\//, "webgpu", /^node:/],
};
