// The CUDA C source of every kernel, compiled at run time by NVRTC into one module. The source is split by family
// (elementwise, rows, losses, attention); this file holds the shared prelude and the list of kernel names the
// backend looks up. Conventions: f32 data, i32 ids, 64-bit element counts, grid-stride loops, every kernel
// `extern "C"` so its name survives compilation. Structs passed by value are arrays of `long long` so that their
// layout is the same in Swift.
// Refuses: #include (nothing from the CUDA toolkit is needed at run time) and fast-math intrinsics in the numerics
// that the CPU backend computes exactly (expf, erff, tanhf stay IEEE).

/// The kernels' source and names.
public enum KernelSource {
  /// Everything, in compilation order.
  public static var all: String { prelude + elementwise + rows + losses + attention }

  /// Every `extern "C"` kernel the backend launches; a test checks each one is in the compiled module's source.
  public static let kernelNames = [
    "fill_rows", "scale_kernel", "broadcast_forward", "broadcast_backward", "colsum_partial", "colsum_finish",
    "activation_forward", "activation_backward", "bias_activation_forward", "swiglu_forward",
    "swiglu_backward",
    "dropout_kernel", "embedding_forward", "embedding_backward", "strided_copy", "adamw_update",
    "sum_squares",
    "scale_in_place",
    "layernorm_forward", "layernorm_backward", "rmsnorm_forward", "rmsnorm_backward", "softmax_forward",
    "softmax_backward", "meanpool_forward", "meanpool_backward", "l2norm_forward", "l2norm_backward",
    "huber_forward", "huber_backward", "bce_forward", "bce_backward", "cross_entropy_rows",
    "cross_entropy_finish",
    "cross_entropy_backward",
    "attention_forward", "attention_backward_flash",
  ]

  static let prelude = #"""
    typedef unsigned int u32;
    typedef unsigned long long u64;
    typedef long long i64;
    #define FULL_MASK 0xffffffffu
    #define NEG_INF (-__int_as_float(0x7f800000))

    struct StridedView { i64 rank, offset, shape[6], stride[6]; };
    struct Broadcast { i64 rank, shape[6], a[6], b[6]; };
    struct Reduction { i64 keptRank, keptShape[6], keptOut[6], keptOther[6],
                       reducedRank, reducedShape[6], reducedOut[6], reducedOther[6]; };

    __device__ __forceinline__ float warp_sum(float v) {
      for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(FULL_MASK, v, o);
      return v;
    }
    __device__ __forceinline__ float warp_max(float v) {
      for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(FULL_MASK, v, o));
      return v;
    }
    __device__ __forceinline__ double warp_sum_double(double v) {
      for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(FULL_MASK, v, o);
      return v;
    }
    // Reduction over the block with the warp reduction `warp` (identity `identity` for the unused lanes); every
    // thread gets the result. Blocks are at most 1024 threads.
    template <typename T, T (*warp)(T)>
    __device__ __forceinline__ T block_reduce(T v, T identity) {
      __shared__ T partial[32];
      int lane = threadIdx.x & 31, w = threadIdx.x >> 5, warps = (blockDim.x + 31) >> 5;
      v = warp(v);
      __syncthreads();
      if (lane == 0) partial[w] = v;
      __syncthreads();
      v = threadIdx.x < warps ? partial[threadIdx.x] : identity;
      if (w == 0) v = warp(v);
      if (threadIdx.x == 0) partial[0] = v;
      __syncthreads();
      return partial[0];
    }
    __device__ float block_sum(float v) { return block_reduce<float, warp_sum>(v, 0.f); }
    __device__ float block_max(float v) { return block_reduce<float, warp_max>(v, NEG_INF); }
    __device__ double block_sum_double(double v) { return block_reduce<double, warp_sum_double>(v, 0.0); }
    __device__ __forceinline__ i64 global_index() { return (i64)blockIdx.x * blockDim.x + threadIdx.x; }
    __device__ __forceinline__ i64 grid_stride() { return (i64)gridDim.x * blockDim.x; }

    // bfloat16 and IEEE half as raw bits: no cuda_bf16.h / cuda_fp16.h needed.
    __device__ __forceinline__ float bf16_to_f32(unsigned short b) { return __uint_as_float(((u32)b) << 16); }
    __device__ __forceinline__ unsigned short f32_to_bf16(float f) {
      u32 bits = __float_as_uint(f);
      if (f != f) return (unsigned short)((bits >> 16) | 0x40u);
      u32 bias = 0x7fffu + ((bits >> 16) & 1u);
      return (unsigned short)((bits + bias) >> 16);
    }
    __device__ __forceinline__ float f16_to_f32(unsigned short h) {
      float f;
      asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h));
      return f;
    }
    __device__ __forceinline__ unsigned short f32_to_f16(float f) {
      unsigned short h;
      asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(f));
      return h;
    }
    // SplitMix64's finaliser: the dropout mask hashes (seed, index) exactly as the CPU's DropoutMask.keeps.
    __device__ __forceinline__ u64 mix64(u64 z) {
      z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
      z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
      return z ^ (z >> 31);
    }
    __device__ __forceinline__ bool dropout_keeps(u64 index, u64 seed, float p) {
      u64 hash = mix64(seed + mix64(index + 0x9E3779B97F4A7C15ull));
      return (float)(hash >> 40) >= p * 16777216.0f;
    }
    // Activations: 0 = GELU (erf), 1 = GELU (tanh), 2 = SiLU; the CPU's formulas.
    __device__ __forceinline__ float activation(int kind, float v) {
      if (kind == 0) return 0.5f * v * (1.f + erff(v * 0.70710678118654752f));
      if (kind == 1) return 0.5f * v * (1.f + tanhf(0.7978845608028654f * (v + 0.044715f * v * v * v)));
      return v / (1.f + expf(-v));
    }
    __device__ __forceinline__ float activation_derivative(int kind, float v) {
      if (kind == 0) {
        float cdf = 0.5f * (1.f + erff(v * 0.70710678118654752f));
        return cdf + v * expf(-0.5f * v * v) * 0.3989422804014327f;
      }
      if (kind == 1) {
        float th = tanhf(0.7978845608028654f * (v + 0.044715f * v * v * v));
        float inner = 0.7978845608028654f * (1.f + 3.f * 0.044715f * v * v);
        return 0.5f * (1.f + th) + 0.5f * v * (1.f - th * th) * inner;
      }
      float s = 1.f / (1.f + expf(-v));
      return s * (1.f + v * (1.f - s));
    }

    """#
}
