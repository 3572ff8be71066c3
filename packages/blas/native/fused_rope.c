/*
 * rope(x, cos, sin, y, d, rowsPerItem, tableRows, tableItems, inverse): rotary position embedding in the
 * rotate-half layout, on rows of d values (d even, h = d/2):
 *   forward   y[i] = x[i]·cos[i] − x[i+h]·sin[i]    y[i+h] = x[i+h]·cos[i+h] + x[i]·sin[i+h]      (i < h)
 *   inverse   y[i] = x[i]·cos[i] + x[i+h]·sin[i+h]  y[i+h] = x[i+h]·cos[i+h] − x[i]·sin[i]        (the
 *             gradient: the transpose of the forward map)
 * x has items of rowsPerItem rows (a batch element's heads x positions); the tables have tableItems items
 * (1 broadcasts) of tableRows rows (positions), repeated over each item's rows: row r uses table row
 * ((r / rowsPerItem) % tableItems) * tableRows + r % tableRows. Each value is one product and one
 * sum/difference, rounded as the tensor ops round them (x·cos + rotate_half(x)·sin), so the results are
 * bit-identical to them. Rows run in parallel (OpenMP). y must not overlap x.
 */
#include "wpo_napi.h"

/* y must not overlap x (each output reads two inputs); the loops are vectorised on that promise. */
static void rope_row(const float *restrict x, const float *restrict c, const float *restrict s, float *restrict y,
                     size_t h, bool inverse) {
  if (!inverse) {
#pragma omp simd
    for (size_t i = 0; i < h; i++) {
      y[i] = x[i] * c[i] + (-x[i + h]) * s[i];
      y[i + h] = x[i + h] * c[i + h] + x[i] * s[i + h];
    }
  } else {
#pragma omp simd
    for (size_t i = 0; i < h; i++) {
      y[i] = x[i] * c[i] + x[i + h] * s[i + h];
      y[i + h] = x[i + h] * c[i + h] + (-(x[i] * s[i]));
    }
  }
}

static napi_value rope(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float *x, *c, *s, *y;
  size_t lx, lc, ls, ly;
  if (argc != 9 || !float_view(env, argv[0], &x, &lx) || !float_view(env, argv[1], &c, &lc) ||
      !float_view(env, argv[2], &s, &ls) || !float_view(env, argv[3], &y, &ly)) {
    napi_throw_type_error(env, "WPO_BLAS",
                          "rope expects (x, cos, sin, y: Float32Array, d, rowsPerItem, tableRows, tableItems: number, "
                          "inverse: boolean)");
    return NULL;
  }
  bool inverse = false;
  CHECK(napi_get_value_bool(env, argv[8], &inverse));
  const int64_t d = int_arg(env, argv[4]), per_item = int_arg(env, argv[5]);
  const int64_t table_rows = int_arg(env, argv[6]), table_items = int_arg(env, argv[7]);
  if (y == x) {
    napi_throw_range_error(env, "WPO_BLAS", "rope: y must be a different array from x");
    return NULL;
  }
  if (d < 2 || d % 2 != 0 || per_item < 1 || table_rows < 1 || table_items < 1 || ly != lx ||
      lx % (size_t)d != 0 || (lx / (size_t)d) % (size_t)per_item != 0 || per_item % table_rows != 0 || lc != ls ||
      lc != (size_t)(table_items * table_rows * d)) {
    napi_throw_range_error(env, "WPO_BLAS",
                           "rope: x and y must hold items of rowsPerItem x d values (d even), rowsPerItem a multiple "
                           "of tableRows, and cos and sin tableItems x tableRows x d values each");
    return NULL;
  }
  const size_t n = lx;
  const size_t rows = n / (size_t)d;
#pragma omp parallel for schedule(static) if (n >= 65536)
  for (size_t r = 0; r < rows; r++) {
    const size_t t = ((r / (size_t)per_item) % (size_t)table_items) * (size_t)table_rows + r % (size_t)table_rows;
    rope_row(x + r * d, c + t * d, s + t * d, y + r * d, (size_t)d / 2, inverse);
  }
  return NULL;
}

bool wpo_define_rope(napi_env env, napi_value exports) { return wpo_define(env, exports, "rope", rope); }
