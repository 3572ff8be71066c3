/** True when running under Node.js (not a browser or a worker). */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return (
    typeof p?.versions?.node === "string" &&
    typeof (globalThis as { window?: unknown }).window === "undefined"
  );
}
