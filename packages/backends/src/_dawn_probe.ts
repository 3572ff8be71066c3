import type { AdapterDescription } from "./backend_info.ts";
import { describeAdapter } from "./_webgpu.ts";
import { createRequire, pathToFileURL, spawnSync } from "#node-only";

const DEFAULT_CANDIDATES = [[], ["backend=opengles"]];

/**
 * Asks Dawn for a WebGPU adapter in a short-lived child process, so that `auto`
 * can decide without loading Dawn into this process (and without Dawn's native
 * warnings on this process's stderr) when the only adapter is a software one.
 * @returns the adapter Dawn would use, or null when there is none or Dawn is not installed.
 */
export async function probeDawnAdapter(
  candidates: string[][] = DEFAULT_CANDIDATES,
): Promise<AdapterDescription | null> {
  let dawnUrl: string;
  try {
    dawnUrl = pathToFileURL(createRequire(import.meta.url).resolve("webgpu")).href;
  } catch {
    return null;
  }
  const script = `
    const { create } = await import(${JSON.stringify(dawnUrl)});
    process.env.EGL_PLATFORM ??= "surfaceless";
    for (const flags of ${JSON.stringify(candidates)}) {
      const gpu = create(flags);
      for (const extra of [{}, { featureLevel: "compatibility" }]) {
        const a = await gpu.requestAdapter(extra);
        if (a) {
          const i = a.info ?? {};
          const backend = flags.find((f) => f.startsWith("backend="))?.slice(8) ?? "native";
          process.stdout.write(JSON.stringify({ backend, isFallbackAdapter: a.isFallbackAdapter === true,
            info: { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description } }));
          process.exit(0);
        }
      }
    }
    process.stdout.write("null");
    process.exit(0);`;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
    timeout: 30_000,
  });
  if (run.status !== 0 || !run.stdout) return null;
  const found = JSON.parse(run.stdout.slice(run.stdout.lastIndexOf("\n") + 1)) as {
    backend: string;
    isFallbackAdapter: boolean;
    info: Record<string, string | undefined>;
  } | null;
  if (!found) return null;
  return describeAdapter(
    { info: found.info, limits: {}, isFallbackAdapter: found.isFallbackAdapter },
    "dawn",
    found.backend,
  );
}
