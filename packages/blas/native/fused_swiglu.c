/*
 * SwiGLU, the gated activation of Llama's MLP, forward and backward in one pass over memory each
 * (tfjs runs the forward as 3 kernels and its autodiff backward as ~8), on equal-length float32 arrays.
 *
 * swiglu(gate, up, out):  s = 1 / (1 + exp(-g)),  out = (g * s) * u   (exp: a vectorised expf, below)
 * swigluGrad(dy, gate, up, dGate, dUp): with t = dy * u (the gradient reaching silu = g * s),
 *   dUp = dy * (g * s),   dGate = t * s + (t * g) * (s * (1 - s))
 * i.e. dy·u·s·(1 + g·(1 - s)) evaluated with the float32 operations, in the order, of tfjs' autodiff of
 * mul(mul(g, sigmoid(g)), u) (Mul's and Sigmoid's gradients), so with -ffp-contract=off the result
 * differs from the tensor-op path only where the backends' sigmoid rounds differently.
 * At large |g| nothing overflows into NaN: exp(100) = inf gives s = 0 exactly, exp(-100) gives s = 1.
 * OpenMP-threaded above 64Ki elements. Outputs may alias inputs (each element is read before it is written).
 */
#include <math.h>
#include <string.h>

#include "wpo_napi.h"

/* The PAR loop, also vectorised (omp simd): the loop bodies are branch-free. */
#define PAR_SIMD _Pragma("omp parallel for simd schedule(static) if (n >= 65536)")

/* Bit casts (compiled to register moves; they keep the loops vectorisable). */
static inline int32_t f2i(float x) {
  int32_t i;
  memcpy(&i, &x, sizeof i);
  return i;
}
static inline float i2f(int32_t i) {
  float x;
  memcpy(&x, &i, sizeof x);
  return x;
}

/*
 * expf written so that GCC vectorises it inside `omp simd` loops (glibc's scalar expf does not, and
 * its vector variants need -ffast-math): y = n·ln2 + r with n = round(y·log2 e) by the 1.5·2^23 rounding
 * trick (n read from the sum's low mantissa bits), r split Cody-Waite style (ln2 = C1 + C2, n·C1 exact),
 * Cephes' degree-7 polynomial for e^r on |r| <= ln2/2, then times 2^(n/2) and 2^(n - n/2) built in the
 * exponent bits, which overflows to inf above ~88.72 and underflows through the subnormals to 0 as
 * expf does. Relative error ~1-2 ulp of expf. y is clamped to [-104, 89] first (beyond, the result is
 * 0 or inf anyway); NaN stays NaN.
 */
static inline float exp_approx(float y) {
  const float magic = 12582912.0f; /* 1.5 * 2^23 */
  y = y > 89.0f ? 89.0f : y;
  y = y < -104.0f ? -104.0f : y;
  const float t = y * 1.44269504088896341f + magic;
  const float n = t - magic;
  const int32_t k = f2i(t) - f2i(magic);
  const float r = (y - n * 0.693359375f) - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = (p * (r * r) + r) + 1.0f;
  const int32_t k1 = k >> 1;
  return (p * i2f((k1 + 127) << 23)) * i2f((k - k1 + 127) << 23);
}

/* sigmoid(x) = 1 / (1 + e^-x) in float32, as tfjs and torch define it: 0 below ~-88.7, 1 above ~17. */
static inline float sigmoidf(float x) { return 1.0f / (1.0f + exp_approx(-x)); }

static void swiglu_forward(const float *g, const float *u, float *out, size_t n) {
  PAR_SIMD for (size_t i = 0; i < n; i++) {
    const float gi = g[i];
    out[i] = (gi * sigmoidf(gi)) * u[i];
  }
}

static void swiglu_backward(const float *dy, const float *g, const float *u, float *dg, float *du, size_t n) {
  PAR_SIMD for (size_t i = 0; i < n; i++) {
    const float gi = g[i], ui = u[i], di = dy[i];
    const float s = sigmoidf(gi);
    const float t = di * ui;
    const float dgi = t * s + (t * gi) * (s * (1.0f - s));
    du[i] = di * (gi * s);
    dg[i] = dgi;
  }
}

static napi_value swiglu_napi(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float *g, *u, *out;
  size_t lg, lu, lo;
  if (argc != 3 || !float_view(env, argv[0], &g, &lg) || !float_view(env, argv[1], &u, &lu) ||
      !float_view(env, argv[2], &out, &lo)) {
    napi_throw_type_error(env, "WPO_BLAS", "swiglu expects 3 Float32Arrays (gate, up, out)");
    return NULL;
  }
  if (lu != lg || lo != lg) {
    napi_throw_range_error(env, "WPO_BLAS", "swiglu: gate, up and out must have the same length");
    return NULL;
  }
  swiglu_forward(g, u, out, lg);
  return NULL;
}

static napi_value swiglu_grad_napi(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float *arr[5];
  size_t len[5];
  bool ok = argc == 5;
  for (size_t i = 0; ok && i < 5; i++) ok = float_view(env, argv[i], &arr[i], &len[i]);
  if (!ok) {
    napi_throw_type_error(env, "WPO_BLAS", "swigluGrad expects 5 Float32Arrays (dy, gate, up, dGate, dUp)");
    return NULL;
  }
  for (size_t i = 1; i < 5; i++) {
    if (len[i] != len[0]) {
      napi_throw_range_error(env, "WPO_BLAS", "swigluGrad: dy, gate, up, dGate and dUp must have the same length");
      return NULL;
    }
  }
  swiglu_backward(arr[0], arr[1], arr[2], arr[3], arr[4], len[0]);
  return NULL;
}

bool wpo_define_swiglu(napi_env env, napi_value exports) {
  return wpo_define(env, exports, "swiglu", swiglu_napi) && wpo_define(env, exports, "swigluGrad", swiglu_grad_napi);
}
