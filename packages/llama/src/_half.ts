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

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Little-endian 16/32-bit words of `bytes`: a typed view when possible, else a copy read through a DataView. */
function words(bytes: Uint8Array, size: 2 | 4): Uint16Array | Uint32Array {
  const n = bytes.length / size;
  if (LITTLE_ENDIAN && bytes.byteOffset % size === 0) {
    return size === 2
      ? new Uint16Array(bytes.buffer, bytes.byteOffset, n)
      : new Uint32Array(bytes.buffer, bytes.byteOffset, n);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (size === 2) return Uint16Array.from({ length: n }, (_, i) => view.getUint16(2 * i, true));
  return Uint32Array.from({ length: n }, (_, i) => view.getUint32(4 * i, true));
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
  const bits = new Uint32Array(out.buffer, out.byteOffset, out.length);
  let bad = -1;
  if (dtype === "F32") {
    const w = words(bytes, 4) as Uint32Array;
    bits.set(w, at);
    for (let i = 0; i < w.length; i++) {
      if ((w[i]! & 0x7f800000) === 0x7f800000) {
        bad = at + i;
        break;
      }
    }
  } else if (dtype === "BF16") {
    const w = words(bytes, 2) as Uint16Array;
    for (let i = 0; i < w.length; i++) {
      const h = w[i]!;
      bits[at + i] = h << 16;
      if ((h & 0x7f80) === 0x7f80 && bad < 0) bad = at + i;
    }
  } else {
    const w = words(bytes, 2) as Uint16Array;
    for (let i = 0; i < w.length; i++) {
      const h = w[i]!;
      out[at + i] = halfToFloat(h);
      if ((h & 0x7c00) === 0x7c00 && bad < 0) bad = at + i;
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
