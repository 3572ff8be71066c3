/*
 * softmaxGrad(y, dy, dx): the gradient of softmax over the last axis of a [rows, cols] float32
 * matrix, given its output y and the incoming gradient dy, in one kernel:
 *   t = dy * y,  dx = t - (Σ_row t) * y
 * (the operations of tfjs-core's Softmax gradient, which runs them as 4 kernels). Row sums use
 * 16-lane float partial sums flushed into a double every 256 values; rows run in parallel (OpenMP).
 */
#include "wpo_napi.h"

#define SG_LANES 16
#define SG_BLOCK 16
typedef float sg_vf __attribute__((vector_size(4 * SG_LANES)));

static inline sg_vf sg_load(const float *p) {
  sg_vf v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}
static inline void sg_store(float *p, sg_vf v) { __builtin_memcpy(p, &v, sizeof v); }
static inline double sg_hsum(sg_vf v) {
  float a[SG_LANES];
  double s = 0;
  sg_store(a, v);
  for (int k = 0; k < SG_LANES; k++) s += a[k];
  return s;
}

static void softmax_grad_row(const float *y, const float *dy, float *dx, size_t cols) {
  const size_t body = cols - cols % SG_LANES;
  sg_vf acc = (sg_vf){0};
  double sum = 0;
  for (size_t j = 0, b = 0; j < body; j += SG_LANES) {
    acc += sg_load(dy + j) * sg_load(y + j);
    if (++b == SG_BLOCK || j + SG_LANES == body) sum += sg_hsum(acc), acc = (sg_vf){0}, b = 0;
  }
  for (size_t j = body; j < cols; j++) sum += dy[j] * y[j];
  const float s = (float)sum;
  const sg_vf sv = (sg_vf){0} + s;
  for (size_t j = 0; j < body; j += SG_LANES) {
    const sg_vf yv = sg_load(y + j);
    sg_store(dx + j, sg_load(dy + j) * yv - sv * yv);
  }
  for (size_t j = body; j < cols; j++) dx[j] = dy[j] * y[j] - s * y[j];
}

static napi_value softmax_grad(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float *y, *dy, *dx;
  size_t ly, ldy, ldx;
  if (argc != 4 || !float_view(env, argv[0], &y, &ly) || !float_view(env, argv[1], &dy, &ldy) ||
      !float_view(env, argv[2], &dx, &ldx)) {
    napi_throw_type_error(env, "WPO_BLAS", "softmaxGrad expects (y, dy, dx: Float32Array, cols: number)");
    return NULL;
  }
  const int64_t cols = int_arg(env, argv[3]);
  if (cols < 1 || ly != ldy || ly != ldx || ly % (size_t)cols != 0) {
    napi_throw_range_error(env, "WPO_BLAS",
                           "softmaxGrad: y, dy and dx must have the same length, a multiple of cols >= 1");
    return NULL;
  }
  const size_t n = ly;
  const size_t rows = n / (size_t)cols;
#pragma omp parallel for schedule(static) if (n >= 65536)
  for (size_t r = 0; r < rows; r++) softmax_grad_row(y + r * cols, dy + r * cols, dx + r * cols, (size_t)cols);
  return NULL;
}

bool wpo_define_softmax(napi_env env, napi_value exports) {
  return wpo_define(env, exports, "softmaxGrad", softmax_grad);
}
