/*
 * Softmax kernels over the last axis of row-major float32 matrices.
 *
 * softmaxGrad(y, dy, dx, cols): the gradient of softmax over the last axis of a [rows, cols] float32
 * matrix, given its output y and the incoming gradient dy, in one kernel:
 *   t = dy * y,  dx = t - (Σ_row t) * y
 * (the operations of tfjs-core's Softmax gradient, which runs them as 4 kernels). Row sums use
 * 16-lane float partial sums flushed into a double every 256 values; rows run in parallel (OpenMP).
 */
#include <math.h>

#include "wpo_napi.h"
#include "wpo_simd.h"

static void softmax_grad_row(const float *y, const float *dy, float *dx, size_t cols) {
  const size_t body = cols - cols % LANES;
  vf acc = (vf){0};
  double sum = 0;
  for (size_t j = 0, b = 0; j < body; j += LANES) {
    acc += load(dy + j) * load(y + j);
    if (++b == BLOCK || j + LANES == body) sum += hsum(acc), acc = (vf){0}, b = 0;
  }
  for (size_t j = body; j < cols; j++) sum += dy[j] * y[j];
  const float s = (float)sum;
  const vf sv = (vf){0} + s;
  for (size_t j = 0; j < body; j += LANES) {
    const vf yv = load(y + j);
    store(dx + j, load(dy + j) * yv - sv * yv);
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

/* One row of y = softmax(x * scale + bias); `y` doubles as the scratch row of z and e. */
static void masked_softmax_row(const float *x, const float *bias, float *y, size_t cols, float scale) {
  const size_t body = cols - cols % LANES;
  float m = -INFINITY;
  for (size_t j = 0; j < cols; j++) {
    const float z = x[j] * scale + bias[j];
    y[j] = z;
    m = z > m ? z : m;
  }
  const vf mv = (vf){0} + m;
  vf acc = (vf){0};
  double sum = 0;
  for (size_t j = 0, b = 0; j < body; j += LANES) {
    const vf e = exp_nonpositive(load(y + j) - mv);
    store(y + j, e);
    acc += e;
    if (++b == BLOCK || j + LANES == body) sum += hsum(acc), acc = (vf){0}, b = 0;
  }
  for (size_t j = body; j < cols; j++) {
    y[j] = scalar_exp(y[j] - m);
    sum += y[j];
  }
  const float s = (float)sum;
  const vf sv = (vf){0} + s;
  for (size_t j = 0; j < body; j += LANES) store(y + j, load(y + j) / sv);
  for (size_t j = body; j < cols; j++) y[j] = y[j] / s;
}

/*
 * maskedSoftmax(x, bias, y, cols, scale, rowsPerItem, biasRowsPerItem, biasItems): attention
 * probabilities y = softmax(x * scale + bias) per row of cols. x has items of rowsPerItem rows (a
 * batch element's heads x queries); bias has biasItems items (1 broadcasts) of biasRowsPerItem rows
 * (queries), repeated over each item's rows: row r uses bias row
 * ((r / rowsPerItem) % biasItems) * biasRowsPerItem + r % biasRowsPerItem.
 */
static napi_value masked_softmax(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float *x, *bias, *y;
  size_t lx, lb, ly;
  if (argc != 8 || !float_view(env, argv[0], &x, &lx) || !float_view(env, argv[1], &bias, &lb) ||
      !float_view(env, argv[2], &y, &ly)) {
    napi_throw_type_error(env, "WPO_BLAS",
                          "maskedSoftmax expects (x, bias, y: Float32Array, cols, scale, rowsPerItem, biasRowsPerItem, "
                          "biasItems: number)");
    return NULL;
  }
  double scale = 0;
  CHECK(napi_get_value_double(env, argv[4], &scale));
  const int64_t cols = int_arg(env, argv[3]), per_item = int_arg(env, argv[5]);
  const int64_t bias_rows = int_arg(env, argv[6]), bias_items = int_arg(env, argv[7]);
  if (cols < 1 || per_item < 1 || bias_rows < 1 || bias_items < 1 || ly != lx || lx % (size_t)cols != 0 ||
      (lx / (size_t)cols) % (size_t)per_item != 0 || per_item % bias_rows != 0 ||
      lb != (size_t)(bias_items * bias_rows * cols)) {
    napi_throw_range_error(env, "WPO_BLAS",
                           "maskedSoftmax: x and y must hold items of rowsPerItem x cols values, rowsPerItem a "
                           "multiple of biasRowsPerItem, and bias biasItems x biasRowsPerItem x cols values");
    return NULL;
  }
  const size_t n = lx;
  const size_t rows = n / (size_t)cols;
  const float sc = (float)scale;
#pragma omp parallel for schedule(static) if (n >= 65536)
  for (size_t r = 0; r < rows; r++) {
    const size_t brow = ((r / (size_t)per_item) % (size_t)bias_items) * (size_t)bias_rows + r % (size_t)bias_rows;
    masked_softmax_row(x + r * cols, bias + brow * cols, y + r * cols, (size_t)cols, sc);
  }
  return NULL;
}

bool wpo_define_softmax(napi_env env, napi_value exports) {
  return wpo_define(env, exports, "softmaxGrad", softmax_grad) &&
         wpo_define(env, exports, "maskedSoftmax", masked_softmax);
}
