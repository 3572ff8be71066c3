/*
 * Helpers shared by the addon's C files: Node-API error checks, Float32Array views and the OpenMP
 * loop pragma. Every file defines its functions on the module's exports through a
 * `wpo_define_<name>(env, exports)` hook that wpo_blas.c calls when the file is linked in.
 */
#ifndef WPO_NAPI_H
#define WPO_NAPI_H

#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#define CHECK(call)                                                      \
  do {                                                                   \
    if ((call) != napi_ok) {                                             \
      napi_throw_error(env, "WPO_BLAS", "Node-API call failed: " #call); \
      return NULL;                                                       \
    }                                                                    \
  } while (0)

static inline bool float_view(napi_env env, napi_value v, float **data, size_t *length) {
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return false;
  napi_typedarray_type type;
  void *ptr = NULL;
  if (napi_get_typedarray_info(env, v, &type, length, &ptr, NULL, NULL) != napi_ok) return false;
  if (type != napi_float32_array) return false;
  *data = (float *)ptr;
  return true;
}

static inline int64_t int_arg(napi_env env, napi_value v) {
  int64_t out = -1;
  napi_get_value_int64(env, v, &out);
  return out;
}

/* Parallel loop over `n` elements, threaded above 64Ki elements (smaller loops stay on one core). */
#define PAR _Pragma("omp parallel for schedule(static) if (n >= 65536)")

/* Defines `name` on `exports` as `fn`; returns false (with a pending exception) on failure. */
static inline bool wpo_define(napi_env env, napi_value exports, const char *name, napi_callback fn) {
  napi_property_descriptor d = {name, NULL, fn, NULL, NULL, NULL, napi_enumerable, NULL};
  return napi_define_properties(env, exports, 1, &d) == napi_ok;
}

#endif
