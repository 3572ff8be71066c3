import { defineConfig } from "tsup";
import { browserTsupConfig, sharedTsupConfig } from "../../tsup.shared.ts";

/**
 * tfjs-core ships its gradient registrations only as extensionless ESM files
 * (`dist/register_all_gradients.js` and `dist/gradients/*`), which plain Node cannot
 * import. They are bundled into this package's dist; they register into tfjs-core's
 * global kernel registry and engine (both live on `globalThis`), so the process
 * still has one registry. Everything else from tfjs stays external.
 */
const bundled = {
  noExternal: [/register_all_gradients/],
  external: [/^@tensorflow\/(?!tfjs-core\/dist\/register_all_gradients)/, /^@wpo\//, "webgpu", /^node:/],
};

export default defineConfig([
  { ...sharedTsupConfig, ...bundled },
  { ...browserTsupConfig, ...bundled },
]);
