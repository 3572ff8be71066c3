import { type BackendInfo, initBackend } from "@wpo/backends";

/** Backends the page offers. */
export type PageBackend = "webgpu" | "wasm" | "cpu";

/** What {@linkcode startBackend} got, and why it fell back if it did. */
export interface BackendChoice {
  /** What `initBackend` reported for the backend now active. */
  info: BackendInfo;
  /** Set when WebGPU was asked for and could not be used: the reason, for a visible notice. */
  fallbackReason?: string;
}

interface GpuLike {
  requestAdapter(options?: Record<string, unknown>): Promise<unknown>;
}

/** Which WebGPU adapter to ask the browser for. */
export type AdapterPreference = "default" | "compatibility";

/**
 * Makes every `navigator.gpu.requestAdapter` call ask for a compatibility-mode adapter.
 * Chromium's OpenGL ES adapter (Mesa, much faster than SwiftShader on GPU-less machines)
 * exists only in compatibility mode.
 */
function preferCompatibilityAdapter(): void {
  const gpu = (navigator as Navigator & { gpu?: GpuLike }).gpu;
  if (!gpu) return;
  const wrapper = Object.create(gpu) as GpuLike;
  // Writable: @wpo/backends wraps navigator.gpu again (Object.create + assignment) to pin its adapter, and an
  // assignment that shadows an inherited read-only property throws in strict code ("Cannot assign to read only
  // property 'requestAdapter'"), which used to end the page on wasm.
  Object.defineProperty(wrapper, "requestAdapter", {
    value: (options?: Record<string, unknown>) =>
      gpu.requestAdapter({ ...options, featureLevel: "compatibility" }),
    writable: true,
    configurable: true,
  });
  Object.defineProperty(navigator, "gpu", { value: wrapper, configurable: true });
}

/** URL of the folder serving tfjs-backend-wasm's `.wasm` binaries (copied there at build time). */
export function wasmPaths(): string {
  return new URL("./wasm/", globalThis.location.href).href;
}

/**
 * Initialises the requested backend; when WebGPU is asked for and no adapter exists,
 * falls back to wasm and returns the reason so the page can say so.
 *
 * @param requested The backend to try first.
 * @param adapter Which WebGPU adapter to ask for.
 * @returns The active backend's info and the fallback reason, if any.
 */
export async function startBackend(
  requested: PageBackend,
  adapter: AdapterPreference = "default",
): Promise<BackendChoice> {
  if (requested === "webgpu" && adapter === "compatibility") preferCompatibilityAdapter();
  if (requested !== "webgpu") return { info: await initBackend(requested, { wasmPaths: wasmPaths() }) };
  try {
    return { info: await initBackend("webgpu") };
  } catch (error) {
    const reason = (error as Error).message;
    const info = await initBackend("wasm", { wasmPaths: wasmPaths() });
    return { info, fallbackReason: reason };
  }
}
