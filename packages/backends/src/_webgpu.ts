import * as tf from "@tensorflow/tfjs-core";
import type { AdapterDescription, BackendLimits } from "./backend_info.ts";
import { loadDawn } from "#node-only";
import { isNode } from "./_runtime.ts";

/** Options of the WebGPU backend. */
export interface WebGpuOptions {
  /**
   * Dawn toggles for Node, tried in order until one yields an adapter. The default
   * tries Dawn's native choice (Vulkan/Metal/D3D12 on a real GPU), then OpenGL ES
   * (Mesa llvmpipe on GPU-less Linux machines, in compatibility mode).
   */
  dawnCandidates?: string[][];
}

interface GpuLike {
  requestAdapter(options?: Record<string, unknown>): Promise<AdapterLike | null>;
  [key: string]: unknown;
}
interface AdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
  limits: Record<string, number>;
  isFallbackAdapter?: boolean;
}

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|software|softpipe/i;

interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

let chosen: { adapter: AdapterLike; source: "browser" | "dawn"; dawnBackend?: string } | undefined;

export function describeAdapter(
  adapter: AdapterLike,
  source: "browser" | "dawn",
  dawnBackend?: string,
): AdapterDescription {
  const info = adapter.info ?? {};
  const vendor = info.vendor ?? "";
  const architecture = info.architecture ?? "";
  const device = info.device ?? "";
  const description = info.description ?? "";
  const text = `${vendor} ${architecture} ${device} ${description}`;
  const out: AdapterDescription = {
    vendor,
    architecture,
    device,
    description,
    isSoftware:
      adapter.isFallbackAdapter === true ||
      SOFTWARE.test(text) ||
      (dawnBackend === "opengles" && /mesa/i.test(text)),
    source,
  };
  if (dawnBackend !== undefined) out.dawnBackend = dawnBackend;
  return out;
}

/** Wraps a GPU object so that tfjs's own `requestAdapter` call returns the adapter we probed. */
function pinnedGpu(gpu: GpuLike, extra: Record<string, unknown>): GpuLike {
  const wrapper: GpuLike = Object.create(gpu);
  wrapper.requestAdapter = (options?: Record<string, unknown>) =>
    gpu.requestAdapter({ ...options, ...extra });
  return wrapper;
}

async function probeDawn(options: WebGpuOptions): Promise<GpuLike> {
  let dawn: DawnModule;
  try {
    dawn = (await loadDawn()) as DawnModule;
  } catch (cause) {
    throw new Error(
      "WebGPU in Node needs the 'webgpu' package (Dawn). Install it with `pnpm add webgpu` " +
        "(it ships a prebuilt dawn.node for linux-x64, macOS and Windows).",
      { cause },
    );
  }
  process.env.EGL_PLATFORM ??= "surfaceless";
  Object.assign(globalThis, dawn.globals);
  const candidates = options.dawnCandidates ?? [[], ["backend=opengles"]];
  const tried: string[] = [];
  for (const flags of candidates) {
    const gpu = dawn.create(flags);
    const backendFlag = flags.find((f) => f.startsWith("backend="))?.slice("backend=".length);
    for (const extra of [{}, { featureLevel: "compatibility" }]) {
      const adapter = await gpu.requestAdapter(extra);
      if (adapter) {
        chosen = { adapter, source: "dawn", dawnBackend: backendFlag ?? "native" };
        return pinnedGpu(gpu, extra);
      }
    }
    tried.push(flags.length ? flags.join(",") : "default");
  }
  throw new Error(
    `Dawn found no WebGPU adapter (tried: ${tried.join("; ")}). On a GPU-less Linux machine install Mesa's ` +
      "EGL/GLES drivers (apt-get install libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri) for the OpenGL ES software adapter.",
  );
}

/** Registers and activates the WebGPU backend (browser `navigator.gpu`, or Dawn in Node). */
export async function activateWebGpu(options: WebGpuOptions = {}): Promise<void> {
  const nav = (globalThis as unknown as { navigator?: { gpu?: GpuLike } }).navigator;
  if (!tf.findBackendFactory("webgpu")) {
    if (nav?.gpu) {
      let compat: Record<string, unknown> = {};
      let adapter = await nav.gpu.requestAdapter();
      if (!adapter) {
        compat = { featureLevel: "compatibility" };
        adapter = await nav.gpu.requestAdapter(compat);
      }
      if (!adapter)
        throw new Error("navigator.gpu exists but offers no WebGPU adapter; use the 'wasm' backend.");
      chosen = { adapter, source: "browser" };
      Object.defineProperty(nav, "gpu", { value: pinnedGpu(nav.gpu, compat), configurable: true });
    } else if (isNode()) {
      const gpu = await probeDawn(options);
      Object.defineProperty(globalThis, "navigator", { value: { gpu }, configurable: true, writable: true });
    } else {
      throw new Error(
        "This browser has no WebGPU (navigator.gpu is undefined); use the 'wasm' or 'cpu' backend.",
      );
    }
    // tfjs-backend-webgpu registers itself at import time only if navigator.gpu exists.
    await import("@tensorflow/tfjs-backend-webgpu");
  }
  if (!(await tf.setBackend("webgpu"))) {
    throw new Error("The tfjs WebGPU backend failed to initialise its device; see the warnings above.");
  }
}

/** The adapter the WebGPU backend runs on, once activated. */
export function webGpuAdapter(): AdapterDescription | undefined {
  return chosen ? describeAdapter(chosen.adapter, chosen.source, chosen.dawnBackend) : undefined;
}

/** Limits of the active WebGPU device. */
export function webGpuLimits(): BackendLimits {
  const backend = tf.findBackend("webgpu") as unknown as {
    device?: { limits: Record<string, number> };
  } | null;
  const limits = backend?.device?.limits ?? chosen?.adapter.limits;
  if (!limits) return {};
  return {
    maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize!,
    maxBufferSize: limits.maxBufferSize!,
    maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension!,
  };
}

/** Releases the Dawn device and `navigator.gpu` so that Node can exit. */
export function releaseWebGpu(): void {
  const backend = tf.findBackend("webgpu") as unknown as { device?: { destroy?: () => void } } | null;
  if (chosen?.source === "dawn") {
    if (tf.getBackend() === "webgpu") tf.removeBackend("webgpu");
    backend?.device?.destroy?.();
    delete (globalThis as { navigator?: unknown }).navigator;
    chosen = undefined;
  }
}
