/*
 * 16-float vectors (one AVX-512 register with -march=native; GCC/Clang vector extensions elsewhere) and the
 * helpers the row-wise kernels share: loads/stores, broadcast, lane maximum, horizontal max and sum, and a
 * vectorised exp for non-positive arguments (softmax after subtracting the row maximum).
 */
#ifndef WPO_SIMD_H
#define WPO_SIMD_H

#include <stdint.h>

#define LANES 16
typedef float vf __attribute__((vector_size(4 * LANES)));
typedef int32_t vi __attribute__((vector_size(4 * LANES)));

static inline vf load(const float *p) {
  vf v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}
static inline void store(float *p, vf v) { __builtin_memcpy(p, &v, sizeof v); }
static inline vf splat(float x) { return (vf){0} + x; }
static inline vf vmax(vf a, vf b) {
  vi gt = a > b;
  return (vf)(((vi)a & gt) | ((vi)b & ~gt));
}

/*
 * exp(x) for x <= 0, LANES at a time: x = n·ln2 + r with n = round(x/ln2) (the 1.5·2^23 rounding
 * trick), r split Cody-Waite style, Cephes' polynomial for e^r, 2^n built in the exponent bits.
 * Relative error ~1e-7 (1-2 ulp); exactly 0 below -87 (where expf is below 1.7e-38).
 */
static inline vf exp_nonpositive(vf x) {
  const vf magic = splat(12582912.0f);
  const vf xc = vmax(x, splat(-87.0f));
  const vf t = xc * splat(1.44269504088896341f) + magic;
  const vi n = (vi)t - (vi)magic;
  const vf nf = t - magic;
  const vf r = (xc - nf * splat(0.693359375f)) - nf * splat(-2.12194440e-4f);
  vf p = splat(1.9875691500e-4f);
  p = p * r + splat(1.3981999507e-3f);
  p = p * r + splat(8.3334519073e-3f);
  p = p * r + splat(4.1665795894e-2f);
  p = p * r + splat(1.6666665459e-1f);
  p = p * r + splat(5.0000001201e-1f);
  p = p * (r * r) + r + splat(1.0f);
  const vf scale = (vf)((n + 127) << 23);
  const vi keep = x >= splat(-87.0f);
  return (vf)((vi)(p * scale) & keep);
}

static inline float scalar_exp(float x) {
  float in[LANES] = {0}, out[LANES];
  in[0] = x;
  store(out, exp_nonpositive(load(in)));
  return out[0];
}

static inline float hmax(vf v) {
  float a[LANES], m;
  store(a, v);
  m = a[0];
  for (int k = 1; k < LANES; k++) m = a[k] > m ? a[k] : m;
  return m;
}
static inline double hsum(vf v) {
  float a[LANES];
  double s = 0;
  store(a, v);
  for (int k = 0; k < LANES; k++) s += a[k];
  return s;
}

/* Float lane sums are flushed into a double every BLOCK vectors, so no float sum spans more than BLOCK x LANES values. */
#define BLOCK 16

#endif
