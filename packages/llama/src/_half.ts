/** Converts IEEE half-precision bits to a float. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Widens little-endian F16 or BF16 bytes to float32. */
export function widenToFloat32(bytes: Uint8Array, dtype: "F16" | "BF16"): Float32Array {
  const n = bytes.length / 2;
  const out = new Float32Array(n);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dtype === "BF16") {
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < n; i++) bits[i] = view.getUint16(2 * i, true) << 16;
  } else {
    for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
  }
  return out;
}

/**
 * Widens little-endian F16/BF16 bytes (or copies F32 bytes) into `out` from element
 * `at`, and returns the index of the first non-finite value written, or -1.
 */
export function widenInto(
  bytes: Uint8Array,
  dtype: "F32" | "F16" | "BF16",
  out: Float32Array,
  at: number,
): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bits = new Uint32Array(out.buffer, out.byteOffset, out.length);
  let bad = -1;
  if (dtype === "F32") {
    const n = bytes.length / 4;
    for (let i = 0; i < n; i++) {
      const b = view.getUint32(4 * i, true);
      bits[at + i] = b;
      if (bad < 0 && (b & 0x7f800000) === 0x7f800000) bad = at + i;
    }
  } else if (dtype === "BF16") {
    const n = bytes.length / 2;
    for (let i = 0; i < n; i++) {
      const h = view.getUint16(2 * i, true);
      bits[at + i] = h << 16;
      if (bad < 0 && (h & 0x7f80) === 0x7f80) bad = at + i;
    }
  } else {
    const n = bytes.length / 2;
    for (let i = 0; i < n; i++) {
      const h = view.getUint16(2 * i, true);
      out[at + i] = halfToFloat(h);
      if (bad < 0 && (h & 0x7c00) === 0x7c00) bad = at + i;
    }
  }
  return bad;
}

/** Rounds float32 values to bfloat16 bits (round to nearest even; NaN stays a quiet NaN). */
export function toBfloat16(values: Float32Array, out: Uint16Array): Uint16Array {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = 0; i < values.length; i++) {
    const b = bits[i]!;
    if ((b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0) out[i] = (b >>> 16) | 0x40;
    else out[i] = (b + 0x7fff + ((b >>> 16) & 1)) >>> 16;
  }
  return out;
}
