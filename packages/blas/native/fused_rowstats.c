/*
 * rowStats(logits, probs, lse, logitSum, logMaxP, logSumP2): per row of a [rows, V] float32 logits
 * matrix, in three vectorised passes over the row (max and sum, exp, normalise):
 *   m = max x,  s = Σ exp(x - m),  probs = exp(x - m) / s,
 *   lse = m + log s,  logitSum = Σ x,  logMaxP = log max p = -log s,  logSumP2 = log Σ p²
 * These are what the chunked sequence log-probs need (log p(target) = x[target] - lse, TRL's logits
 * sums, the WPO "greedy" and "sampled" normalisers) and the softmax its backward reuses; tfjs runs
 * them as ~8 kernels over [rows, V]. Rows run in parallel (OpenMP); within a row, GCC/Clang vector
 * extensions process 16 floats at a time (one AVX-512 register with -march=native), with per-lane
 * float partial sums added up in double.
 */
#include <math.h>

#include "wpo_napi.h"
#include "wpo_simd.h"

static void row_stats(const float *x, float *p, float *st[4], size_t r, size_t v) {
  x += r * v;
  p += r * v;
  const size_t body = v - v % LANES;
  vf mx = splat(x[0]), sx = splat(0), se = splat(0), sq = splat(0);
  double sum_x = 0, s = 0, sum_p2 = 0;
  for (size_t j = 0, b = 0; j < body; j += LANES) {
    const vf xv = load(x + j);
    mx = vmax(xv, mx);
    sx += xv;
    if (++b == BLOCK || j + LANES == body) sum_x += hsum(sx), sx = splat(0), b = 0;
  }
  float m = hmax(mx);
  for (size_t j = body; j < v; j++) m = x[j] > m ? x[j] : m, sum_x += x[j];
  const vf mv = splat(m);
  for (size_t j = 0, b = 0; j < body; j += LANES) {
    const vf e = exp_nonpositive(load(x + j) - mv);
    store(p + j, e);
    se += e;
    if (++b == BLOCK || j + LANES == body) s += hsum(se), se = splat(0), b = 0;
  }
  for (size_t j = body; j < v; j++) s += (p[j] = scalar_exp(x[j] - m));
  const float sf = (float)s;
  const vf sv = splat(sf);
  for (size_t j = 0, b = 0; j < body; j += LANES) {
    const vf q = load(p + j) / sv;
    store(p + j, q);
    sq += q * q;
    if (++b == BLOCK || j + LANES == body) sum_p2 += hsum(sq), sq = splat(0), b = 0;
  }
  for (size_t j = body; j < v; j++) {
    const float q = p[j] / sf;
    p[j] = q;
    sum_p2 += (double)q * q;
  }
  const double log_s = log(s);
  st[0][r] = (float)(m + log_s);
  st[1][r] = (float)sum_x;
  st[2][r] = (float)(-log_s);
  st[3][r] = (float)log(sum_p2);
}

static napi_value row_stats_napi(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float *arr[6];
  size_t len[6];
  bool ok = argc == 6;
  for (size_t i = 0; ok && i < 6; i++) ok = float_view(env, argv[i], &arr[i], &len[i]);
  if (!ok) {
    napi_throw_type_error(env, "WPO_BLAS",
                          "rowStats expects six Float32Arrays (logits, probs, lse, logitSum, logMaxP, logSumP2)");
    return NULL;
  }
  const size_t rows = len[2];
  if (rows == 0 || len[0] % rows != 0 || len[0] == 0 || len[1] != len[0] || len[3] != rows || len[4] != rows ||
      len[5] != rows) {
    napi_throw_range_error(env, "WPO_BLAS",
                           "rowStats: logits and probs must hold rows x V values (V >= 1) and each statistic one value per row");
    return NULL;
  }
  const size_t v = len[0] / rows;
  const size_t n = len[0]; /* the threading threshold counts elements */
  float *st[4] = {arr[2], arr[3], arr[4], arr[5]};
#pragma omp parallel for schedule(static) if (n >= 65536)
  for (size_t r = 0; r < rows; r++) row_stats(arr[0], arr[1], st, r, v);
  return NULL;
}

bool wpo_define_rowstats(napi_env env, napi_value exports) {
  return wpo_define(env, exports, "rowStats", row_stats_napi);
}
