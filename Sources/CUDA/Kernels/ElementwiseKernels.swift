// CUDA C of the elementwise kernels: bias rows, scale, broadcasting add/mul and their reductions, activations
// (plain and fused with a bias), SwiGLU, dropout, embedding, strided/dtype copies, the deterministic column sums
// behind every bias and norm-weight gradient, and the AdamW update.
// Refuses: atomics where a deterministic order is cheap (column sums); embedding backward does use atomics.

extension KernelSource {
  static let elementwise = #"""
    // out[r, :] = bias for r < rows: the bias half of linear forward (the GEMM then adds x W^T with beta = 1).
    extern "C" __global__ void fill_rows(float* out, const float* bias, i64 rows, i64 cols) {
      for (i64 i = global_index(); i < rows * cols; i += grid_stride()) out[i] = bias[i % cols];
    }
    // out = factor * x, or out += factor * x.
    extern "C" __global__ void scale_kernel(const float* x, float* out, i64 n, float factor, int accumulate) {
      for (i64 i = global_index(); i < n; i += grid_stride()) {
        float v = factor * x[i];
        out[i] = accumulate ? out[i] + v : v;
      }
    }
    // x *= factor (gradient clipping; c = beta c for a GEMM with k = 0).
    extern "C" __global__ void scale_in_place(float* x, i64 n, float factor) {
      for (i64 i = global_index(); i < n; i += grid_stride()) x[i] = factor == 0.f ? 0.f : x[i] * factor;
    }
    // out = a + b or a * b; s.a / s.b are the operands' element strides per output dimension (0 = broadcast).
    extern "C" __global__ void broadcast_forward(const float* a, const float* b, float* out, i64 n, Broadcast s,
                                                 int multiply) {
      for (i64 i = global_index(); i < n; i += grid_stride()) {
        i64 rest = i, ia = 0, ib = 0;
        for (int d = (int)s.rank - 1; d >= 0; --d) {
          i64 c = rest % s.shape[d];
          rest /= s.shape[d];
          ia += c * s.a[d];
          ib += c * s.b[d];
        }
        out[i] = multiply ? a[ia] * b[ib] : a[ia] + b[ib];
      }
    }
    // grad[g] += sum over the output elements broadcast from g of dout * other (other = null: add's gradient).
    // One thread per grad element; the kept dimensions locate it, the reduced ones are summed in order.
    extern "C" __global__ void broadcast_backward(const float* dout, const float* other, float* grad, i64 n,
                                                  Reduction s) {
      i64 reducedCount = 1;
      for (int d = 0; d < (int)s.reducedRank; ++d) reducedCount *= s.reducedShape[d];
      for (i64 g = global_index(); g < n; g += grid_stride()) {
        i64 rest = g, outBase = 0, otherBase = 0;
        for (int d = (int)s.keptRank - 1; d >= 0; --d) {
          i64 c = rest % s.keptShape[d];
          rest /= s.keptShape[d];
          outBase += c * s.keptOut[d];
          otherBase += c * s.keptOther[d];
        }
        float acc = 0.f;
        for (i64 r = 0; r < reducedCount; ++r) {
          i64 rr = r, o = outBase, p = otherBase;
          for (int d = (int)s.reducedRank - 1; d >= 0; --d) {
            i64 c = rr % s.reducedShape[d];
            rr /= s.reducedShape[d];
            o += c * s.reducedOut[d];
            p += c * s.reducedOther[d];
          }
          acc += other ? dout[o] * other[p] : dout[o];
        }
        grad[g] += acc;
      }
    }
    // Column sums in fixed row chunks (deterministic): partial[chunk, j] = sum over the chunk's rows of a per-row
    // term. kind 0: dout; 1: dout * (x - mean[r]) * rstd[r] (LayerNorm weight); 2: dout * x * rstd[r] (RMSNorm
    // weight); 3: dout * other (mul's gradient for a trailing operand). Grid: (ceil(cols / 256), chunks).
    extern "C" __global__ void colsum_partial(int kind, i64 rows, i64 cols, i64 chunkRows, const float* dout,
                                              const float* x, const float* mean, const float* rstd, float* partial) {
      i64 j = (i64)blockIdx.x * blockDim.x + threadIdx.x;
      if (j >= cols) return;
      i64 start = (i64)blockIdx.y * chunkRows;
      i64 end = start + chunkRows < rows ? start + chunkRows : rows;
      float acc = 0.f;
      for (i64 r = start; r < end; ++r) {
        float g = dout[r * cols + j];
        if (kind == 0) acc += g;
        else if (kind == 1) acc += g * (x[r * cols + j] - mean[r]) * rstd[r];
        else if (kind == 2) acc += g * x[r * cols + j] * rstd[r];
        else acc += g * x[r * cols + j];
      }
      partial[(i64)blockIdx.y * cols + j] = acc;
    }
    // dst[j] += sum of the chunks' partial sums, in chunk order.
    extern "C" __global__ void colsum_finish(const float* partial, i64 chunks, i64 cols, float* dst) {
      for (i64 j = global_index(); j < cols; j += grid_stride()) {
        float acc = 0.f;
        for (i64 c = 0; c < chunks; ++c) acc += partial[c * cols + j];
        dst[j] += acc;
      }
    }
    extern "C" __global__ void activation_forward(int kind, const float* x, float* out, i64 n) {
      for (i64 i = global_index(); i < n; i += grid_stride()) out[i] = activation(kind, x[i]);
    }
    extern "C" __global__ void activation_backward(int kind, const float* dout, const float* x, float* dx, i64 n) {
      for (i64 i = global_index(); i < n; i += grid_stride()) dx[i] += dout[i] * activation_derivative(kind, x[i]);
    }
    // out[r, j] = f(x[r, j] + bias[j]): the fused bias + activation after a GEMM without bias.
    extern "C" __global__ void bias_activation_forward(int kind, const float* x, const float* bias, float* out,
                                                       i64 rows, i64 cols) {
      for (i64 i = global_index(); i < rows * cols; i += grid_stride())
        out[i] = activation(kind, x[i] + bias[i % cols]);
    }
    // x[N, 2H] = [gate | up] -> out[N, H] = silu(gate) * up
    extern "C" __global__ void swiglu_forward(const float* x, float* out, i64 rows, i64 hidden) {
      for (i64 i = global_index(); i < rows * hidden; i += grid_stride()) {
        i64 r = i / hidden, j = i % hidden;
        float g = x[r * 2 * hidden + j], u = x[r * 2 * hidden + hidden + j];
        out[i] = g / (1.f + expf(-g)) * u;
      }
    }
    extern "C" __global__ void swiglu_backward(const float* x, const float* dout, float* dx, i64 rows, i64 hidden) {
      for (i64 i = global_index(); i < rows * hidden; i += grid_stride()) {
        i64 r = i / hidden, j = i % hidden;
        float g = x[r * 2 * hidden + j], u = x[r * 2 * hidden + hidden + j], d = dout[i];
        float s = 1.f / (1.f + expf(-g));
        dx[r * 2 * hidden + j] += d * u * s * (1.f + g * (1.f - s));
        dx[r * 2 * hidden + hidden + j] += d * g * s;
      }
    }
    // out (+)= x * keep / (1 - p); `scale` = 1 / (1 - p) computed on the host as the CPU does.
    extern "C" __global__ void dropout_kernel(const float* x, float* out, i64 n, float p, float scale, u64 seed,
                                              int accumulate) {
      for (i64 i = global_index(); i < n; i += grid_stride()) {
        float v = dropout_keeps((u64)i, seed, p) ? x[i] * scale : 0.f;
        out[i] = accumulate ? out[i] + v : v;
      }
    }
    // out[n, :] = table[ids[n], :]; an id outside [0, V) gives a zero row (the CPU backend throws instead).
    extern "C" __global__ void embedding_forward(const int* ids, const float* table, float* out, i64 count, i64 dim,
                                                 i64 vocabulary) {
      for (i64 i = global_index(); i < count * dim; i += grid_stride()) {
        i64 id = ids[i / dim];
        out[i] = id >= 0 && id < vocabulary ? table[id * dim + i % dim] : 0.f;
      }
    }
    extern "C" __global__ void embedding_backward(const float* dout, const int* ids, float* dtable, i64 count,
                                                  i64 dim, i64 vocabulary) {
      for (i64 i = global_index(); i < count * dim; i += grid_stride()) {
        i64 id = ids[i / dim];
        if (id >= 0 && id < vocabulary) atomicAdd(&dtable[id * dim + i % dim], dout[i]);
      }
    }
    // Dense destination from any view; dtypes 0 = f32, 1 = f16, 2 = bf16.
    extern "C" __global__ void strided_copy(const void* src, int srcType, StridedView s, void* dst, int dstType,
                                            i64 n) {
      for (i64 i = global_index(); i < n; i += grid_stride()) {
        i64 rest = i, e = s.offset;
        for (int d = (int)s.rank - 1; d >= 0; --d) {
          e += (rest % s.shape[d]) * s.stride[d];
          rest /= s.shape[d];
        }
        float v = srcType == 0 ? ((const float*)src)[e]
                : srcType == 1 ? f16_to_f32(((const unsigned short*)src)[e])
                               : bf16_to_f32(((const unsigned short*)src)[e]);
        if (dstType == 0) ((float*)dst)[i] = v;
        else if (dstType == 1) ((unsigned short*)dst)[i] = f32_to_f16(v);
        else ((unsigned short*)dst)[i] = f32_to_bf16(v);
      }
    }
    // AdamW as torch.optim.AdamW and the CPU's AdamW.update: c1, c2 are the bias corrections, decay = 1 - lr * wd.
    extern "C" __global__ void adamw_update(float* w, const float* g, float* m, float* v, i64 n, float beta1,
                                            float beta2, float epsilon, float lr, float decay, float c1, float c2) {
      for (i64 i = global_index(); i < n; i += grid_stride()) {
        float gi = g[i];
        float mi = beta1 * m[i] + (1.f - beta1) * gi;
        float vi = beta2 * v[i] + (1.f - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        w[i] = w[i] * decay - lr * ((mi / c1) / (sqrtf(vi / c2) + epsilon));
      }
    }
    // total[0] += sum of x^2 (in double; block sums added atomically: the order varies, the norm barely).
    extern "C" __global__ void sum_squares(const float* x, i64 n, double* total) {
      double acc = 0.0;
      for (i64 i = global_index(); i < n; i += grid_stride()) acc += (double)x[i] * x[i];
      acc = block_sum_double(acc);
      if (threadIdx.x == 0) atomicAdd(total, acc);
    }

    """#
}
