// CUDA C of the losses: Huber and BCE-with-logits (one block reduces in double, as the CPU sums in Double),
// cross-entropy per row then a one-block mean over the kept rows, and their backward passes. InfoNCE is a GEMM
// followed by these cross-entropy kernels.
// Refuses: targets outside [0, C) for cross-entropy: such rows are ignored like negative ones (the CPU throws).

extension KernelSource {
  static let losses = #"""
    // loss[0] = mean huber(pred - target; delta). One block.
    extern "C" __global__ void huber_forward(const float* pred, const float* target, i64 n, float delta,
                                             float* loss) {
      double acc = 0.0;
      for (i64 i = threadIdx.x; i < n; i += blockDim.x) {
        float r = fabsf(pred[i] - target[i]);
        acc += (double)(r <= delta ? 0.5f * r * r : delta * (r - 0.5f * delta));
      }
      acc = block_sum_double(acc);
      if (threadIdx.x == 0) loss[0] = (float)(acc / (double)(n > 1 ? n : 1));
    }
    // dpred += scale * clamp(pred - target, -delta, delta), scale = dloss / n
    extern "C" __global__ void huber_backward(const float* pred, const float* target, float* dpred, i64 n,
                                              float delta, float scale) {
      for (i64 i = global_index(); i < n; i += grid_stride())
        dpred[i] += scale * fminf(fmaxf(pred[i] - target[i], -delta), delta);
    }
    // loss[0] = mean of max(z, 0) - z t + log(1 + exp(-|z|)). One block.
    extern "C" __global__ void bce_forward(const float* logits, const float* targets, i64 n, float* loss) {
      double acc = 0.0;
      for (i64 i = threadIdx.x; i < n; i += blockDim.x) {
        float z = logits[i];
        acc += (double)(fmaxf(z, 0.f) - z * targets[i] + log1pf(expf(-fabsf(z))));
      }
      acc = block_sum_double(acc);
      if (threadIdx.x == 0) loss[0] = (float)(acc / (double)(n > 1 ? n : 1));
    }
    // dlogits += scale * (sigmoid(z) - t), scale = dloss / n
    extern "C" __global__ void bce_backward(const float* logits, const float* targets, float* dlogits, i64 n,
                                            float scale) {
      for (i64 i = global_index(); i < n; i += grid_stride())
        dlogits[i] += scale * (1.f / (1.f + expf(-logits[i])) - targets[i]);
    }
    // Per row: probs = softmax(logits), rowLoss = logsumexp - z[target] (0 for ignored rows). probs may alias
    // logits (InfoNCE): z[target] is read before any thread writes.
    extern "C" __global__ void cross_entropy_rows(const float* logits, const int* targets, float* probs,
                                                  float* rowLoss, i64 cols) {
      i64 base = (i64)blockIdx.x * cols;
      int t = targets[blockIdx.x];
      bool kept = t >= 0 && t < cols;
      float zt = kept ? logits[base + t] : 0.f;
      float m = NEG_INF;
      for (i64 i = threadIdx.x; i < cols; i += blockDim.x) m = fmaxf(m, logits[base + i]);
      m = block_max(m);
      float s = 0.f;
      if (m > NEG_INF)
        for (i64 i = threadIdx.x; i < cols; i += blockDim.x) s += expf(logits[base + i] - m);
      s = block_sum(s);
      if (threadIdx.x == 0) rowLoss[blockIdx.x] = kept ? logf(s) + m - zt : 0.f;
      for (i64 i = threadIdx.x; i < cols; i += blockDim.x)
        probs[base + i] = m > NEG_INF ? expf(logits[base + i] - m) / s : 0.f;
    }
    // loss[0] = mean of rowLoss over kept rows (0 when none); kept[0] = their count. One block.
    extern "C" __global__ void cross_entropy_finish(const float* rowLoss, const int* targets, i64 rows, i64 cols,
                                                    float* loss, float* kept) {
      double acc = 0.0, count = 0.0;
      for (i64 r = threadIdx.x; r < rows; r += blockDim.x) {
        int t = targets[r];
        if (t >= 0 && t < cols) { acc += rowLoss[r]; count += 1.0; }
      }
      acc = block_sum_double(acc);
      count = block_sum_double(count);
      if (threadIdx.x == 0) {
        loss[0] = count == 0.0 ? 0.f : (float)(acc / count);
        if (kept) kept[0] = (float)count;
      }
    }
    // dlogits[r, :] += scale (probs[r, :] - onehot(t)), scale = dloss / kept rows; counts kept rows itself.
    extern "C" __global__ void cross_entropy_backward(const float* probs, const int* targets, float* dlogits,
                                                      i64 rows, i64 cols, float dloss) {
      float count = 0.f;
      for (i64 r = threadIdx.x; r < rows; r += blockDim.x) {
        int t = targets[r];
        if (t >= 0 && t < cols) count += 1.f;
      }
      count = block_sum(count);
      if (count == 0.f) return;
      float scale = dloss / count;
      for (i64 r = blockIdx.x; r < rows; r += gridDim.x) {
        int t = targets[r];
        if (t < 0 || t >= cols) continue;
        for (i64 i = threadIdx.x; i < cols; i += blockDim.x)
          dlogits[r * cols + i] += scale * (probs[r * cols + i] - (i == t ? 1.f : 0.f));
      }
    }

    """#
}
