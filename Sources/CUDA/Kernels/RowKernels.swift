// CUDA C of the row kernels: LayerNorm, RMSNorm, softmax, L2 normalisation (one block per row, block-wide sums),
// and mean pooling (one thread per (batch, channel)). Weight and bias gradients are left to `colsum_partial`.
// Refuses: rows longer than what a block loops over in registers (any length works; long rows just loop).

extension KernelSource {
  static let rows = #"""
    // x[N, C] -> out, mean[N], rstd[N]. Grid: N blocks. In place (out == x) is fine: sums finish before writes.
    extern "C" __global__ void layernorm_forward(const float* x, const float* w, const float* b, float* out,
                                                 float* mean, float* rstd, i64 cols, float eps) {
      const float* row = x + (i64)blockIdx.x * cols;
      float s = 0.f;
      for (i64 i = threadIdx.x; i < cols; i += blockDim.x) s += row[i];
      float m = block_sum(s) / (float)cols;
      float q = 0.f;
      for (i64 i = threadIdx.x; i < cols; i += blockDim.x) q += (row[i] - m) * (row[i] - m);
      float r = 1.f / sqrtf(block_sum(q) / (float)cols + eps);
      float* o = out + (i64)blockIdx.x * cols;
      for (i64 i = threadIdx.x; i < cols; i += blockDim.x) o[i] = (row[i] - m) * r * w[i] + b[i];
      if (threadIdx.x == 0) { mean[blockIdx.x] = m; rstd[blockIdx.x] = r; }
    }
    // dx[N, C] += (g w - mean(g w) - xhat mean(g w xhat)) rstd
    extern "C" __global__ void layernorm_backward(const float* dout, const float* x, const float* w,
                                                  const float* mean, const float* rstd, float* dx, i64 cols) {
      i64 base = (i64)blockIdx.x * cols;
      float m = mean[blockIdx.x], r = rstd[blockIdx.x];
      float a = 0.f, c = 0.f;
      for (i64 i = threadIdx.x; i < cols; i += blockDim.x) {
        float gw = dout[base + i] * w[i];
        a += gw;
        c += gw * (x[base + i] - m) * r;
      }
      float meanG = block_sum(a) / (float)cols, meanGX = block_sum(c) / (float)cols;
      for (i64 i = threadIdx.x; i < cols; i += blockDim.x)
        dx[base + i] += (dout[base + i] * w[i] - meanG - (x[base + i] - m) * r * meanGX) * r;
    }
    // x[N, C] -> out = x rstd w, rstd[N]
    extern "C" __global__ void rmsnorm_forward(const float* x, const float* w, float* out, float* rstd, i64 cols,
                                               float eps) {
      const float* row = x + (i64)blockIdx.x * cols;
      float q = 0.f;
      for (i64 i = threadIdx.x; i < cols; i += blockDim.x) q += row[i] * row[i];
      float r = 1.f / sqrtf(block_sum(q) / (float)cols + eps);
      float* o = out + (i64)blockIdx.x * cols;
      for (i64 i = threadIdx.x; i < cols; i += blockDim.x) o[i] = row[i] * r * w[i];
      if (threadIdx.x == 0) rstd[blockIdx.x] = r;
    }
    // dx += g w rstd - x rstd^3 sum(g w x) / C
    extern "C" __global__ void rmsnorm_backward(const float* dout, const float* x, const float* w, const float* rstd,
                                                float* dx, i64 cols) {
      i64 base = (i64)blockIdx.x * cols;
      float r = rstd[blockIdx.x];
      float d = 0.f;
      for (i64 i = threadIdx.x; i < cols; i += blockDim.x) d += dout[base + i] * w[i] * x[base + i];
      float k = block_sum(d) * r * r * r / (float)cols;
      for (i64 i = threadIdx.x; i < cols; i += blockDim.x)
        dx[base + i] += dout[base + i] * w[i] * r - k * x[base + i];
    }
    // probs[N, C] = softmax(x) per row; a row of -inf gives zeros.
    extern "C" __global__ void softmax_forward(const float* x, float* probs, i64 cols) {
      i64 base = (i64)blockIdx.x * cols;
      float m = NEG_INF;
      for (i64 i = threadIdx.x; i < cols; i += blockDim.x) m = fmaxf(m, x[base + i]);
      m = block_max(m);
      float s = 0.f;
      if (m > NEG_INF)
        for (i64 i = threadIdx.x; i < cols; i += blockDim.x) s += expf(x[base + i] - m);
      s = block_sum(s);
      for (i64 i = threadIdx.x; i < cols; i += blockDim.x)
        probs[base + i] = m > NEG_INF ? expf(x[base + i] - m) / s : 0.f;
    }
    // dx += scale * probs * (dout - rowdot(dout, probs)); in place when dx == dout and accumulate == 0.
    extern "C" __global__ void softmax_backward(const float* dout, const float* probs, float* dx, i64 cols,
                                                float scale, int accumulate) {
      i64 base = (i64)blockIdx.x * cols;
      float d = 0.f;
      for (i64 i = threadIdx.x; i < cols; i += blockDim.x) d += dout[base + i] * probs[base + i];
      d = block_sum(d);
      for (i64 i = threadIdx.x; i < cols; i += blockDim.x) {
        float v = scale * probs[base + i] * (dout[base + i] - d);
        dx[base + i] = accumulate ? dx[base + i] + v : v;
      }
    }
    // out[b, c] = sum_t keep[b, t] x[b, t, c] / max(sum_t keep[b, t], 1e-9)
    extern "C" __global__ void meanpool_forward(const float* x, const float* keep, float* out, i64 B, i64 T, i64 C) {
      for (i64 i = global_index(); i < B * C; i += grid_stride()) {
        i64 b = i / C, c = i % C;
        float weight = 0.f, acc = 0.f;
        for (i64 t = 0; t < T; ++t) weight += keep[b * T + t];
        weight = fmaxf(weight, 1e-9f);
        for (i64 t = 0; t < T; ++t) {
          float k = keep[b * T + t];
          if (k != 0.f) acc += k / weight * x[(b * T + t) * C + c];
        }
        out[i] = acc;
      }
    }
    extern "C" __global__ void meanpool_backward(const float* dout, const float* keep, float* dx, i64 B, i64 T,
                                                 i64 C) {
      for (i64 i = global_index(); i < B * C; i += grid_stride()) {
        i64 b = i / C, c = i % C;
        float weight = 0.f;
        for (i64 t = 0; t < T; ++t) weight += keep[b * T + t];
        weight = fmaxf(weight, 1e-9f);
        for (i64 t = 0; t < T; ++t) {
          float k = keep[b * T + t];
          if (k != 0.f) dx[(b * T + t) * C + c] += k / weight * dout[i];
        }
      }
    }
    // out = x / max(|x|, eps), norm[N]
    extern "C" __global__ void l2norm_forward(const float* x, float* out, float* norm, i64 cols, float eps) {
      i64 base = (i64)blockIdx.x * cols;
      float q = 0.f;
      for (i64 i = threadIdx.x; i < cols; i += blockDim.x) q += x[base + i] * x[base + i];
      float n = fmaxf(sqrtf(block_sum(q)), eps);
      for (i64 i = threadIdx.x; i < cols; i += blockDim.x) out[base + i] = x[base + i] / n;
      if (threadIdx.x == 0) norm[blockIdx.x] = n;
    }
    // dx += (dout - out rowdot(out, dout)) / norm; the dot is 0 where the norm was clamped to eps.
    extern "C" __global__ void l2norm_backward(const float* dout, const float* out, const float* norm, float* dx,
                                               i64 cols, float eps) {
      i64 base = (i64)blockIdx.x * cols;
      float n = norm[blockIdx.x];
      float d = 0.f;
      for (i64 i = threadIdx.x; i < cols; i += blockDim.x) d += out[base + i] * dout[base + i];
      d = block_sum(d);
      if (n <= eps) d = 0.f;
      for (i64 i = threadIdx.x; i < cols; i += blockDim.x) dx[base + i] += (dout[base + i] - out[base + i] * d) / n;
    }

    """#
}
