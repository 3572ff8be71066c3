/*
 * @wpo/blas native addon: row-major single-precision GEMM through OpenBLAS's CBLAS
 * interface, on Float32Array views (including views of a WebAssembly.Memory, so the
 * wasm backend's tensors are multiplied in place, with no copies).
 *
 * Built with Node-API only (no V8 headers), so one binary serves every Node version.
 * The CBLAS prototypes are declared here, so only the runtime library
 * (libopenblas.so.0, Debian's libopenblas0-pthread) is needed to build and run.
 */
#include <math.h>

#include "wpo_napi.h"

enum { kRowMajor = 101, kNoTrans = 111, kTrans = 112 };
extern void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha,
                        const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);
extern void openblas_set_num_threads(int n);
extern int openblas_get_num_threads(void);
extern char *openblas_get_config(void);

/*
 * sgemm(transA, transB, m, n, k, a, b, c, batch, strideA, strideB)
 * For i in [0, batch): C[i] (m x n) = op(A[i]) (m x k) · op(B[i]) (k x n),
 * A[i] = a + i*strideA, B[i] = b + i*strideB, C[i] = c + i*m*n. Returns undefined.
 */
static napi_value sgemm(napi_env env, napi_callback_info info) {
  size_t argc = 11;
  napi_value argv[11];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 11) {
    napi_throw_type_error(env, "WPO_BLAS", "sgemm expects 11 arguments (transA, transB, m, n, k, a, b, c, batch, strideA, strideB)");
    return NULL;
  }
  bool ta = false, tb = false;
  CHECK(napi_get_value_bool(env, argv[0], &ta));
  CHECK(napi_get_value_bool(env, argv[1], &tb));
  int64_t m = int_arg(env, argv[2]), n = int_arg(env, argv[3]), k = int_arg(env, argv[4]);
  int64_t batch = int_arg(env, argv[8]), sa = int_arg(env, argv[9]), sb = int_arg(env, argv[10]);
  float *a, *b, *c;
  size_t la, lb, lc;
  if (!float_view(env, argv[5], &a, &la) || !float_view(env, argv[6], &b, &lb) || !float_view(env, argv[7], &c, &lc)) {
    napi_throw_type_error(env, "WPO_BLAS", "sgemm: a, b and c must be Float32Arrays");
    return NULL;
  }
  if (m < 0 || n < 0 || k < 0 || batch < 0 || sa < 0 || sb < 0 || m > INT32_MAX || n > INT32_MAX || k > INT32_MAX) {
    napi_throw_range_error(env, "WPO_BLAS", "sgemm: sizes and strides must be non-negative 32-bit integers");
    return NULL;
  }
  if (batch == 0 || m == 0 || n == 0) return NULL;
  /* Bounds: the last batch's operands must lie inside the views. */
  if ((size_t)((batch - 1) * sa + m * k) > la || (size_t)((batch - 1) * sb + k * n) > lb || (size_t)(batch * m * n) > lc) {
    napi_throw_range_error(env, "WPO_BLAS", "sgemm: an operand is smaller than m, n, k, batch and strides imply");
    return NULL;
  }
  const int lda = ta ? (int)m : (int)k;
  const int ldb = tb ? (int)k : (int)n;
  for (int64_t i = 0; i < batch; i++) {
    cblas_sgemm(kRowMajor, ta ? kTrans : kNoTrans, tb ? kTrans : kNoTrans, (int)m, (int)n, (int)k, 1.0f, a + i * sa, lda,
                b + i * sb, ldb, 0.0f, c + i * m * n, (int)n);
  }
  return NULL;
}

/*
 * sqrt(x, out): out[i] = sqrtf(x[i]) on Float32Array views (out may be x). Correctly rounded
 * (IEEE sqrt, vectorised when compiled with -fno-math-errno), so it equals every backend's
 * float32 sqrt. The wasm backend's Sqrt runs ~5x slower than its other element-wise kernels.
 */
static napi_value sqrt_f32(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float *x, *out;
  size_t lx, lo;
  if (argc != 2 || !float_view(env, argv[0], &x, &lx) || !float_view(env, argv[1], &out, &lo)) {
    napi_throw_type_error(env, "WPO_BLAS", "sqrt expects two Float32Arrays (x, out)");
    return NULL;
  }
  if (lo != lx) {
    napi_throw_range_error(env, "WPO_BLAS", "sqrt: x and out must have the same length");
    return NULL;
  }
  for (size_t i = 0; i < lx; i++) out[i] = sqrtf(x[i]);
  return NULL;
}

/*
 * binary(op, mode, a, b, out, param): element-wise float32 a OP b into out (n = out.length),
 * OP = + - * / (op 0..3), multi-threaded with OpenMP above 64Ki elements. Modes (the caller,
 * @wpo/backends, maps tfjs broadcasting onto them):
 *   0 same size            out[i] = a[i] OP b[i]
 *   1 b scalar             out[i] = a[i] OP b[0]          2 a scalar   out[i] = a[0] OP b[i]
 *   3 b repeats, period p  out[r*p+j] = a[r*p+j] OP b[j]  4 a repeats  out[r*p+j] = a[j] OP b[r*p+j]
 *   5 b per row of q       out[r*q+j] = a[r*q+j] OP b[r]  6 a per row  out[r*q+j] = a[r] OP b[r*q+j]
 * Plain IEEE float32 operations (no fast-math), so results equal the wasm and cpu backends'.
 */
#define LOOPS(OP)                                                                              \
  switch (mode) {                                                                              \
    case 0: PAR for (size_t i = 0; i < n; i++) out[i] = a[i] OP b[i]; break;                   \
    case 1: { const float s = b[0]; PAR for (size_t i = 0; i < n; i++) out[i] = a[i] OP s; break; } \
    case 2: { const float s = a[0]; PAR for (size_t i = 0; i < n; i++) out[i] = s OP b[i]; break; } \
    case 3: PAR for (size_t r = 0; r < n / p; r++) for (size_t j = 0; j < p; j++)              \
        out[r * p + j] = a[r * p + j] OP b[j]; break;                                          \
    case 4: PAR for (size_t r = 0; r < n / p; r++) for (size_t j = 0; j < p; j++)              \
        out[r * p + j] = a[j] OP b[r * p + j]; break;                                          \
    case 5: PAR for (size_t r = 0; r < n / p; r++) for (size_t j = 0; j < p; j++)              \
        out[r * p + j] = a[r * p + j] OP b[r]; break;                                          \
    case 6: PAR for (size_t r = 0; r < n / p; r++) for (size_t j = 0; j < p; j++)              \
        out[r * p + j] = a[r] OP b[r * p + j]; break;                                          \
  }

static void binary_loops(int op, int mode, const float *a, const float *b, float *out, size_t n, size_t p) {
  switch (op) {
    case 0: LOOPS(+) break;
    case 1: LOOPS(-) break;
    case 2: LOOPS(*) break;
    case 3: LOOPS(/) break;
  }
}

static napi_value binary(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float *a, *b, *out;
  size_t la, lb, n;
  if (argc != 6 || !float_view(env, argv[2], &a, &la) || !float_view(env, argv[3], &b, &lb) ||
      !float_view(env, argv[4], &out, &n)) {
    napi_throw_type_error(env, "WPO_BLAS", "binary expects (op, mode, a, b, out, param) with Float32Array a, b, out");
    return NULL;
  }
  int64_t op = int_arg(env, argv[0]), mode = int_arg(env, argv[1]), param = int_arg(env, argv[5]);
  if (op < 0 || op > 3 || mode < 0 || mode > 6) {
    napi_throw_range_error(env, "WPO_BLAS", "binary: op must be in [0, 3] and mode in [0, 6]");
    return NULL;
  }
  size_t p = param > 0 ? (size_t)param : 1;
  /* sizes each mode needs: the larger operand has n elements, the smaller 1, p or n/p */
  size_t want_a = n, want_b = n;
  if (mode == 1) want_b = 1;
  if (mode == 2) want_a = 1;
  if (mode == 3) want_b = p;
  if (mode == 4) want_a = p;
  if (mode == 5) want_b = n / p;
  if (mode == 6) want_a = n / p;
  if (n == 0) return NULL;
  if (param < 0 || (mode >= 3 && n % p != 0) || la != want_a || lb != want_b) {
    napi_throw_range_error(env, "WPO_BLAS", "binary: operand lengths do not match the mode and param");
    return NULL;
  }
  binary_loops((int)op, (int)mode, a, b, out, n, p);
  return NULL;
}

/*
 * adamw(param, grad, m, v, outParam, outM, outV, scalars): one fused torch.optim.AdamW update of a
 * parameter, element-wise over equal-length Float32Arrays. scalars (a Float32Array of 8, each the
 * float32 value the tensor-op path uses) = [decay, beta1, 1-beta1, beta2, 1-beta2, sqrt(1-beta2^t), eps,
 * -lr/(1-beta1^t)]. Each float32 operation and its order are those of @wpo/optim's op-by-op update:
 *   m' = m*b1 + g*(1-b1);  v' = v*b2 + (g*(1-b2))*g;  p' = p*decay + (m'*(-step)) / (sqrt(v')/bc2 + eps)
 * so, built with -ffp-contract=off (no fused multiply-add), the result is bit-identical to it; one
 * pass over memory instead of ~13 kernels. OpenMP-threaded above 64Ki elements. Outputs may alias inputs.
 */
static void adamw_loop(const float *p, const float *g, const float *m, const float *v, float *op, float *om,
                       float *ov, size_t n, const float *s) {
  const float decay = s[0], b1 = s[1], omb1 = s[2], b2 = s[3], omb2 = s[4], bc2 = s[5], eps = s[6], nstep = s[7];
  /* simd: 7 pointers are too many for GCC's runtime overlap checks, so it asserts what the contract says:
   * an output is either its input array itself (element i is read before it is written) or disjoint. */
#pragma omp parallel for simd schedule(static) if (n >= 65536)
  for (size_t i = 0; i < n; i++) {
    const float gi = g[i];
    const float m1 = m[i] * b1 + gi * omb1;
    const float v1 = v[i] * b2 + (gi * omb2) * gi;
    const float denom = sqrtf(v1) / bc2 + eps;
    op[i] = p[i] * decay + (m1 * nstep) / denom;
    om[i] = m1;
    ov[i] = v1;
  }
}

static napi_value adamw(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float *arr[8];
  size_t len[8];
  bool ok = argc == 8;
  for (size_t i = 0; ok && i < 8; i++) ok = float_view(env, argv[i], &arr[i], &len[i]);
  if (!ok) {
    napi_throw_type_error(env, "WPO_BLAS",
                          "adamw expects 8 Float32Arrays (param, grad, m, v, outParam, outM, outV, scalars)");
    return NULL;
  }
  const size_t n = len[0];
  for (size_t i = 1; i < 7; i++) {
    if (len[i] != n) {
      napi_throw_range_error(env, "WPO_BLAS", "adamw: param, grad, m, v and the outputs must have the same length");
      return NULL;
    }
  }
  if (len[7] != 8) {
    napi_throw_range_error(env, "WPO_BLAS", "adamw: scalars must hold 8 values");
    return NULL;
  }
  adamw_loop(arr[0], arr[1], arr[2], arr[3], arr[4], arr[5], arr[6], n, arr[7]);
  return NULL;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int64_t t = argc > 0 ? int_arg(env, argv[0]) : 0;
  if (t < 1 || t > 1024) {
    napi_throw_range_error(env, "WPO_BLAS", "setThreads expects an integer in [1, 1024]");
    return NULL;
  }
  openblas_set_num_threads((int)t);
  return NULL;
}

static napi_value get_threads(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  CHECK(napi_create_int32(env, openblas_get_num_threads(), &out));
  return out;
}

static napi_value get_config(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value out;
  CHECK(napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &out));
  return out;
}

/* Fused kernels in other files of native/ (each linked in when its file exists). */
extern bool wpo_define_swiglu(napi_env env, napi_value exports) __attribute__((weak));
extern bool wpo_define_rmsnorm(napi_env env, napi_value exports) __attribute__((weak));
extern bool wpo_define_rowstats(napi_env env, napi_value exports) __attribute__((weak));
extern bool wpo_define_softmax(napi_env env, napi_value exports) __attribute__((weak));
extern bool wpo_define_rope(napi_env env, napi_value exports) __attribute__((weak));
extern bool wpo_define_permute(napi_env env, napi_value exports) __attribute__((weak));

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"sgemm", NULL, sgemm, NULL, NULL, NULL, napi_enumerable, NULL},
      {"binary", NULL, binary, NULL, NULL, NULL, napi_enumerable, NULL},
      {"sqrt", NULL, sqrt_f32, NULL, NULL, NULL, napi_enumerable, NULL},
      {"adamw", NULL, adamw, NULL, NULL, NULL, napi_enumerable, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"getThreads", NULL, get_threads, NULL, NULL, NULL, napi_enumerable, NULL},
      {"config", NULL, get_config, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props) != napi_ok) return NULL;
  if (wpo_define_swiglu && !wpo_define_swiglu(env, exports)) return NULL;
  if (wpo_define_rmsnorm && !wpo_define_rmsnorm(env, exports)) return NULL;
  if (wpo_define_rowstats && !wpo_define_rowstats(env, exports)) return NULL;
  if (wpo_define_softmax && !wpo_define_softmax(env, exports)) return NULL;
  if (wpo_define_rope && !wpo_define_rope(env, exports)) return NULL;
  if (wpo_define_permute && !wpo_define_permute(env, exports)) return NULL;
  return exports;
}
