/**
 * Browser stand-in for the Node-only `webgpu` package (Dawn). The browser has its own
 * `navigator.gpu`, so @wpo/backends never reaches this; if it does, it says why.
 */
export function create(): never {
  throw new Error("The 'webgpu' (Dawn) package is for Node; in a browser WebGPU comes from navigator.gpu.");
}
/** Empty: the browser defines GPUBufferUsage and friends itself. */
export const globals: Record<string, unknown> = {};
