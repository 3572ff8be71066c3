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

/**
 * The browser build of a package with Node-only parts (`dist/browser.js`, the `browser` and `default`
 * export conditions): same entry, `platform: "browser"`, so package.json "imports" such as `#node-only`
 * resolve to their browser files. Declarations come from the Node build; `clean` is left to it.
 */
export const browserTsupConfig: Options = {
  ...sharedTsupConfig,
  entry: { browser: "src/mod.ts" },
  platform: "browser",
  dts: false,
  clean: false,
};
