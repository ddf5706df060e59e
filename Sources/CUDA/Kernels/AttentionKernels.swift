// CUDA C of masked multi-head attention, flash style: one warp per query row walks the keys in tiles of 32 (one
// packed mask word), skips a tile whose mask word is zero, and keeps a running max and sum (online softmax) so the
// scores are never stored unless the caller asks for the probabilities. Backward recomputes the probabilities
// from the saved log-sum-exp; dk and dv are accumulated with atomics (order varies between runs).
// Mask kinds: 0 none, 1 key padding keep[B, Tk] (f32), 2 additive bias[Bm, Hm, Tq, Tk], 3 packed keep bits
// [Bm, Hm, Tq, ceil(Tk / 32)]. Layout: q[B, Tq, H*Dh], k, v[B, Tk, H*Dh]; head h owns columns h*Dh ..< (h+1)*Dh.
// Refuses: head dimensions above 256 (8 accumulators a lane); tensor-core tiles (the next step for speed).

extension KernelSource {
  static let attention = #"""
    #define ATTENTION_MAX_SLOTS 8
    // Whether key j is visible to query i, and the additive bias (0 unless kind 2); word = the tile's mask word.
    __device__ __forceinline__ bool attention_visible(int kind, const void* mask, i64 maskRow, i64 b, i64 Tk,
                                                      i64 j, u32 word, float* bias) {
      *bias = 0.f;
      if (j >= Tk) return false;
      if (kind == 1) return ((const float*)mask)[b * Tk + j] != 0.f;
      if (kind == 2) { *bias = ((const float*)mask)[maskRow * Tk + j]; return *bias > NEG_INF; }
      if (kind == 3) return (word >> (j & 31)) & 1u;
      return true;
    }
    __device__ __forceinline__ u32 attention_word(int kind, const void* mask, i64 maskRow, i64 words, i64 tile) {
      return kind == 3 ? ((const u32*)mask)[maskRow * words + tile] : FULL_MASK;
    }

    // out[b, i, h] = softmax(q k^T * scale + mask) v; lse[b, h, i] = log-sum-exp of the row (-inf: no keys).
    // probs (optional) receives the probabilities [B, H, Tq, Tk]. Grid (ceil(Tq / warps), H, B); dynamic shared
    // memory: warps * Dh floats.
    extern "C" __global__ void attention_forward(const float* q, const float* k, const float* v, int maskKind,
                                                 const void* mask, i64 maskB, i64 maskH, float* out, float* probs,
                                                 float* lse, i64 Tq, i64 Tk, i64 H, i64 Dh, float scale) {
      extern __shared__ float shared[];
      int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
      i64 i = (i64)blockIdx.x * warps + warp, h = blockIdx.y, b = blockIdx.z, C = H * Dh;
      if (i >= Tq) return;
      float* qs = shared + warp * Dh;
      for (i64 d = lane; d < Dh; d += 32) qs[d] = q[(b * Tq + i) * C + h * Dh + d] * scale;
      __syncwarp();
      i64 maskRow = ((maskB == 1 ? 0 : b) * maskH + (maskH == 1 ? 0 : h)) * Tq + i;
      i64 words = (Tk + 31) / 32;
      float* p = probs ? probs + ((b * H + h) * Tq + i) * Tk : 0;
      float acc[ATTENTION_MAX_SLOTS];
      for (int s = 0; s < ATTENTION_MAX_SLOTS; ++s) acc[s] = 0.f;
      float m = NEG_INF, l = 0.f;
      for (i64 tile = 0; tile < words; ++tile) {
        i64 j = tile * 32 + lane;
        u32 word = attention_word(maskKind, mask, maskRow, words, tile);
        if (word == 0u) { if (p && j < Tk) p[j] = NEG_INF; continue; }
        float bias, s = NEG_INF;
        if (attention_visible(maskKind, mask, maskRow, b, Tk, j, word, &bias)) {
          const float* kr = k + (b * Tk + j) * C + h * Dh;
          float dot = 0.f;
          for (i64 d = 0; d < Dh; ++d) dot += qs[d] * kr[d];
          s = dot + bias;
        }
        if (p && j < Tk) p[j] = s;
        float newMax = fmaxf(m, warp_max(s));
        if (newMax == NEG_INF) continue;
        float e = s > NEG_INF ? expf(s - newMax) : 0.f;
        float correction = m > NEG_INF ? expf(m - newMax) : 0.f;
        l = l * correction + warp_sum(e);
        for (int s2 = 0; s2 < ATTENTION_MAX_SLOTS; ++s2) acc[s2] *= correction;
        for (int jj = 0; jj < 32; ++jj) {
          float pj = __shfl_sync(FULL_MASK, e, jj);
          if (pj == 0.f) continue;
          const float* vr = v + (b * Tk + tile * 32 + jj) * C + h * Dh;
          for (int s2 = 0; s2 < ATTENTION_MAX_SLOTS; ++s2) {
            i64 d = lane + 32 * s2;
            if (d < Dh) acc[s2] += pj * vr[d];
          }
        }
        m = newMax;
      }
      float* o = out + (b * Tq + i) * C + h * Dh;
      for (int s2 = 0; s2 < ATTENTION_MAX_SLOTS; ++s2) {
        i64 d = lane + 32 * s2;
        if (d < Dh) o[d] = l > 0.f ? acc[s2] / l : 0.f;
      }
      if (lane == 0 && lse) lse[(b * H + h) * Tq + i] = l > 0.f ? m + logf(l) : NEG_INF;
      if (p) {
        __syncwarp();
        for (i64 j = lane; j < Tk; j += 32) p[j] = (l > 0.f && p[j] > NEG_INF) ? expf(p[j] - m) / l : 0.f;
      }
    }

    // Backward from the saved lse and out: D_i = dout_i . out_i, p_ij = exp(s_ij - lse_i),
    // dv_j += p_ij dout_i, ds_ij = p_ij (dout_i . v_j - D_i) scale, dq_i += ds_ij k_j, dk_j += ds_ij q_i.
    // Same grid as the forward; dynamic shared memory: 2 * warps * Dh floats. Gradients accumulate (+=).
    extern "C" __global__ void attention_backward_flash(const float* q, const float* k, const float* v,
                                                        int maskKind, const void* mask, i64 maskB, i64 maskH,
                                                        const float* out, const float* dout, const float* lse,
                                                        float* dq, float* dk, float* dv, i64 Tq, i64 Tk, i64 H,
                                                        i64 Dh, float scale) {
      extern __shared__ float shared[];
      int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = blockDim.x >> 5;
      i64 i = (i64)blockIdx.x * warps + warp, h = blockIdx.y, b = blockIdx.z, C = H * Dh;
      if (i >= Tq) return;
      float rowLse = lse[(b * H + h) * Tq + i];
      if (!(rowLse > NEG_INF)) return;
      float* qs = shared + 2 * warp * Dh;
      float* gs = qs + Dh;
      i64 qRow = (b * Tq + i) * C + h * Dh;
      float dsum = 0.f;
      for (i64 d = lane; d < Dh; d += 32) {
        qs[d] = q[qRow + d];
        gs[d] = dout[qRow + d];
        dsum += dout[qRow + d] * out[qRow + d];
      }
      dsum = warp_sum(dsum);
      __syncwarp();
      i64 maskRow = ((maskB == 1 ? 0 : b) * maskH + (maskH == 1 ? 0 : h)) * Tq + i;
      i64 words = (Tk + 31) / 32;
      float dqAcc[ATTENTION_MAX_SLOTS];
      for (int s = 0; s < ATTENTION_MAX_SLOTS; ++s) dqAcc[s] = 0.f;
      for (i64 tile = 0; tile < words; ++tile) {
        u32 word = attention_word(maskKind, mask, maskRow, words, tile);
        if (word == 0u) continue;
        i64 j = tile * 32 + lane;
        float bias, pij = 0.f, ds = 0.f;
        if (attention_visible(maskKind, mask, maskRow, b, Tk, j, word, &bias)) {
          const float* kr = k + (b * Tk + j) * C + h * Dh;
          const float* vr = v + (b * Tk + j) * C + h * Dh;
          float dot = 0.f, dp = 0.f;
          for (i64 d = 0; d < Dh; ++d) { dot += qs[d] * kr[d]; dp += gs[d] * vr[d]; }
          pij = expf(dot * scale + bias - rowLse);
          ds = pij * (dp - dsum) * scale;
        }
        for (int jj = 0; jj < 32; ++jj) {
          float pj = __shfl_sync(FULL_MASK, pij, jj), dsj = __shfl_sync(FULL_MASK, ds, jj);
          if (pj == 0.f && dsj == 0.f) continue;
          i64 key = (b * Tk + tile * 32 + jj) * C + h * Dh;
          for (int s2 = 0; s2 < ATTENTION_MAX_SLOTS; ++s2) {
            i64 d = lane + 32 * s2;
            if (d >= Dh) continue;
            if (dv) atomicAdd(&dv[key + d], pj * gs[d]);
            if (dk) atomicAdd(&dk[key + d], dsj * qs[d]);
            dqAcc[s2] += dsj * k[key + d];
          }
        }
      }
      if (dq)
        for (int s2 = 0; s2 < ATTENTION_MAX_SLOTS; ++s2) {
          i64 d = lane + 32 * s2;
          if (d < Dh) dq[qRow + d] += dqAcc[s2];
        }
    }

    """#
}
