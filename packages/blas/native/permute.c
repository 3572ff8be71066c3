/*
 * permute(x, out, shape, perm): out = x with its axes permuted (tfjs Transpose), for arrays of 4-byte
 * elements (Float32Array, Int32Array, Uint32Array: values are moved, never computed, so bit patterns are kept).
 * shape and perm are Int32Arrays of the same rank r (1..8); out[i0, ..., i(r-1)] = x[j] with axis k of out
 * being axis perm[k] of x. The output is walked as rows of its last axis: when the last axis stays last each
 * row is one memcpy; otherwise rows are gathered 16 at a time along the output's second-to-last axis, so that
 * the strided source reads of one tile share cache lines. Rows run in parallel (OpenMP) above 64Ki elements.
 */
#include <string.h>

#include "wpo_napi.h"

#define MAX_RANK 8
#define TILE 16

static bool word_view(napi_env env, napi_value v, uint32_t **data, size_t *length) {
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return false;
  napi_typedarray_type type;
  void *ptr = NULL;
  if (napi_get_typedarray_info(env, v, &type, length, &ptr, NULL, NULL) != napi_ok) return false;
  if (type != napi_float32_array && type != napi_int32_array && type != napi_uint32_array) return false;
  *data = (uint32_t *)ptr;
  return true;
}

static bool int_view(napi_env env, napi_value v, int32_t **data, size_t *length) {
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return false;
  napi_typedarray_type type;
  void *ptr = NULL;
  if (napi_get_typedarray_info(env, v, &type, length, &ptr, NULL, NULL) != napi_ok) return false;
  if (type != napi_int32_array) return false;
  *data = (int32_t *)ptr;
  return true;
}

/* Source offset of output row `row` (a flat index over the output's first r-1 axes). */
static size_t row_base(size_t row, int r, const size_t *out_shape, const size_t *src_stride) {
  size_t base = 0;
  for (int k = r - 2; k >= 0; k--) {
    base += (row % out_shape[k]) * src_stride[k];
    row /= out_shape[k];
  }
  return base;
}

static napi_value permute(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint32_t *x, *out;
  int32_t *shape, *perm;
  size_t lx, lo, ls, lp;
  if (argc != 4 || !word_view(env, argv[0], &x, &lx) || !word_view(env, argv[1], &out, &lo) ||
      !int_view(env, argv[2], &shape, &ls) || !int_view(env, argv[3], &perm, &lp)) {
    napi_throw_type_error(env, "WPO_BLAS",
                          "permute expects (x, out: Float32Array | Int32Array | Uint32Array, shape, perm: Int32Array)");
    return NULL;
  }
  const int r = (int)ls;
  bool ok = r >= 1 && r <= MAX_RANK && lp == ls;
  size_t n = 1, in_stride[MAX_RANK], out_shape[MAX_RANK], src_stride[MAX_RANK];
  int seen = 0;
  for (int k = 0; ok && k < r; k++) {
    ok = shape[k] >= 0 && perm[k] >= 0 && perm[k] < r && !(seen & (1 << perm[k]));
    if (ok) seen |= 1 << perm[k], n *= (size_t)shape[k];
  }
  if (!ok || lx != n || lo != n || (n > 0 && x == out)) {
    napi_throw_range_error(env, "WPO_BLAS",
                           "permute: shape and perm must have one rank in [1, 8], perm must permute the axes, x and "
                           "out must hold the shape's size and be different arrays");
    return NULL;
  }
  if (n == 0) return NULL;
  in_stride[r - 1] = 1;
  for (int k = r - 2; k >= 0; k--) in_stride[k] = in_stride[k + 1] * (size_t)shape[k + 1];
  for (int k = 0; k < r; k++) out_shape[k] = (size_t)shape[perm[k]], src_stride[k] = in_stride[perm[k]];
  const size_t len = out_shape[r - 1], inner = src_stride[r - 1], rows = n / len;
  if (inner == 1) {
#pragma omp parallel for schedule(static) if (n >= 65536)
    for (size_t row = 0; row < rows; row++)
      memcpy(out + row * len, x + row_base(row, r, out_shape, src_stride), len * sizeof(uint32_t));
    return NULL;
  }
  /* Tiles of TILE rows along the second-to-last output axis (or single rows for a rank-1 permute). */
  const size_t mid = r >= 2 ? out_shape[r - 2] : 1, mid_stride = r >= 2 ? src_stride[r - 2] : 0;
  const size_t tiles_per = (mid + TILE - 1) / TILE, tiles = (rows / mid) * tiles_per;
#pragma omp parallel for schedule(static) if (n >= 65536)
  for (size_t t = 0; t < tiles; t++) {
    const size_t first = (t / tiles_per) * mid + (t % tiles_per) * TILE;
    const size_t count = mid - (t % tiles_per) * TILE < TILE ? mid - (t % tiles_per) * TILE : TILE;
    const size_t base = row_base(first, r, out_shape, src_stride);
    for (size_t j0 = 0; j0 < len; j0 += TILE) {
      const size_t j1 = j0 + TILE < len ? j0 + TILE : len;
      for (size_t i = 0; i < count; i++) {
        uint32_t *dst = out + (first + i) * len;
        const uint32_t *src = x + base + i * mid_stride;
        for (size_t j = j0; j < j1; j++) dst[j] = src[j * inner];
      }
    }
  }
  return NULL;
}

bool wpo_define_permute(napi_env env, napi_value exports) { return wpo_define(env, exports, "permute", permute); }
