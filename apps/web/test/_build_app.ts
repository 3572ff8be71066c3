import { fileURLToPath } from "node:url";
import { build } from "vite";

/** The app's folder. */
export const APP_ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * Builds the app with Vite into `dist/` (production build, as a user would serve it).
 *
 * @returns The folder to serve.
 */
export async function buildApp(): Promise<string> {
  await build({ root: APP_ROOT, configFile: `${APP_ROOT}vite.config.ts`, logLevel: "warn" });
  return `${APP_ROOT}dist`;
}
