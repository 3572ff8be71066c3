/*
 * RMSNorm over the last axis of a row-major [rows, E] float32 matrix, forward and backward, one pass
 * over memory each (tfjs runs the forward as 5 kernels and its autodiff backward as ~12).
 *
 * rmsnorm(x, weight, out, eps): per row, r = 1 / sqrtf(Σx²/E + eps), out = weight * (x * r)
 *   (the float32 operations of the tensor-op path: x*r rounded, then times weight).
 * rmsnormGrad(dy, x, weight, dx, dWeight, eps): with xhat = x*r and g = dy*weight,
 *   dx = r * (g - xhat * (Σ_row g*xhat)/E),   dWeight = Σ_rows dy * xhat.
 * Row sums and the dWeight column sums accumulate in double. Rows run in parallel (OpenMP) above 64Ki
 * elements; dWeight adds per-thread partial sums in thread order, so it is deterministic for a given
 * thread count.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "wpo_napi.h"

/* 1 / sqrt(mean(x²) + eps) of one row, in float32 after a double sum of the float32 squares. */
static inline float rms_inverse(const float *x, size_t e, float eps) {
  double s = 0;
#pragma omp simd reduction(+ : s)
  for (size_t j = 0; j < e; j++) s += (double)(x[j] * x[j]);
  const float ms = (float)(s / (double)e);
  return 1.0f / sqrtf(ms + eps);
}

static void rms_forward(const float *x, const float *w, float *out, size_t rows, size_t e, float eps) {
  const size_t n = rows * e;
#pragma omp parallel for schedule(static) if (n >= 65536)
  for (size_t r = 0; r < rows; r++) {
    const float *xr = x + r * e;
    float *o = out + r * e;
    const float inv = rms_inverse(xr, e, eps);
#pragma omp simd
    for (size_t j = 0; j < e; j++) o[j] = w[j] * (xr[j] * inv);
  }
}

/* One row of the backward: writes dx, adds dy * xhat into acc (double [E]). */
static inline void rms_backward_row(const float *g, const float *xr, const float *w, float *d, double *acc,
                                    size_t e, float eps) {
  const float inv = rms_inverse(xr, e, eps);
  double dot = 0;
#pragma omp simd reduction(+ : dot)
  for (size_t j = 0; j < e; j++) {
    const float xh = xr[j] * inv;
    dot += (double)((g[j] * w[j]) * xh);
    acc[j] += (double)(g[j] * xh);
  }
  const float c = (float)(dot / (double)e);
#pragma omp simd
  for (size_t j = 0; j < e; j++) d[j] = inv * (g[j] * w[j] - (xr[j] * inv) * c);
}

/* Returns false when the partial sums cannot be allocated. */
static bool rms_backward(const float *dy, const float *x, const float *w, float *dx, float *dw, size_t rows,
                         size_t e, float eps) {
  const size_t n = rows * e;
  int threads = 1;
#ifdef _OPENMP
  if (n >= 65536) threads = omp_get_max_threads();
#endif
  double *part = calloc((size_t)threads * e, sizeof(double));
  if (!part) return false;
#pragma omp parallel num_threads(threads)
  {
    int t = 0;
#ifdef _OPENMP
    t = omp_get_thread_num();
#endif
    double *acc = part + (size_t)t * e;
#pragma omp for schedule(static)
    for (size_t r = 0; r < rows; r++) rms_backward_row(dy + r * e, x + r * e, w, dx + r * e, acc, e, eps);
  }
  for (size_t j = 0; j < e; j++) {
    double s = 0;
    for (int t = 0; t < threads; t++) s += part[(size_t)t * e + j];
    dw[j] = (float)s;
  }
  free(part);
  return true;
}

/* Reads eps: a finite non-negative number, else throws (naming `fn`) and returns false. */
static bool eps_arg(napi_env env, napi_value v, const char *fn, float *eps) {
  char msg[96];
  napi_valuetype type;
  double d = 0;
  if (napi_typeof(env, v, &type) != napi_ok || type != napi_number || napi_get_value_double(env, v, &d) != napi_ok) {
    snprintf(msg, sizeof msg, "%s: eps must be a number", fn);
    napi_throw_type_error(env, "WPO_BLAS", msg);
    return false;
  }
  if (!isfinite(d) || d < 0) {
    snprintf(msg, sizeof msg, "%s: eps must be finite and >= 0, got %g", fn, d);
    napi_throw_range_error(env, "WPO_BLAS", msg);
    return false;
  }
  *eps = (float)d;
  return true;
}

static napi_value rmsnorm_napi(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float *x, *w, *out, eps;
  size_t lx, lw, lo;
  if (argc != 4 || !float_view(env, argv[0], &x, &lx) || !float_view(env, argv[1], &w, &lw) ||
      !float_view(env, argv[2], &out, &lo)) {
    napi_throw_type_error(env, "WPO_BLAS", "rmsnorm expects (x, weight, out: Float32Array, eps: number)");
    return NULL;
  }
  if (!eps_arg(env, argv[3], "rmsnorm", &eps)) return NULL;
  if (lw == 0 || lx % lw != 0 || lo != lx) {
    napi_throw_range_error(env, "WPO_BLAS",
                           "rmsnorm: weight must hold E >= 1 values, x a multiple of E, and out as many as x");
    return NULL;
  }
  rms_forward(x, w, out, lx / lw, lw, eps);
  return NULL;
}

static napi_value rmsnorm_grad_napi(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float *arr[5], eps;
  size_t len[5];
  bool ok = argc == 6;
  for (size_t i = 0; ok && i < 5; i++) ok = float_view(env, argv[i], &arr[i], &len[i]);
  if (!ok) {
    napi_throw_type_error(env, "WPO_BLAS",
                          "rmsnormGrad expects (dy, x, weight, dx, dWeight: Float32Array, eps: number)");
    return NULL;
  }
  if (!eps_arg(env, argv[5], "rmsnormGrad", &eps)) return NULL;
  const size_t e = len[2];
  if (e == 0 || len[1] % e != 0 || len[0] != len[1] || len[3] != len[1] || len[4] != e) {
    napi_throw_range_error(env, "WPO_BLAS",
                           "rmsnormGrad: weight and dWeight must hold E >= 1 values, x a multiple of E, dy and dx as many as x");
    return NULL;
  }
  if (!rms_backward(arr[0], arr[1], arr[2], arr[3], arr[4], len[1] / e, e, eps)) {
    napi_throw_error(env, "WPO_BLAS", "rmsnormGrad: out of memory for the dWeight partial sums");
    return NULL;
  }
  return NULL;
}

bool wpo_define_rmsnorm(napi_env env, napi_value exports) {
  return wpo_define(env, exports, "rmsnorm", rmsnorm_napi) &&
         wpo_define(env, exports, "rmsnormGrad", rmsnorm_grad_napi);
}
