// `gpu check`'s comparisons of the GPU-only training pieces against their CPU counterparts: the AdamW kernel
// against `AdamW.update` (three steps, with and without decay), gradient clipping against `GradientClipping.clip`,
// and the fused bias + activation against the CPU's add then activation.
import CUDA
import Foundation
import Tensor

extension GPUParity {
  static func checkTraining(gpu: CUDABackend, cpu: CPUBackend, seed: UInt64) throws -> Int {
    var random = SplitMix64(seed: seed)
    let shape = [37, 29]
    let count = 37 * 29
    let weights = (0..<count).map { _ in random.nextSignedUnit() }
    let gradients = (0..<3).map { _ in (0..<count).map { _ in random.nextSignedUnit() * 3 } }
    let config = AdamWConfig(weightDecay: 0.1)
    var failures = 0
    for decays in [true, false] {
      // CPU: the engine's AdamW over one parameter.
      var rng = SplitMix64(seed: 0)
      let parameter = try Parameter(
        name: "w", shape: shape, initializer: .zeros, decays: decays, on: cpu, rng: &rng)
      try cpu.copyIn(weights, to: parameter.value)
      var adam = try AdamW(parameters: [parameter], config: config, on: cpu)
      // GPU: the kernel over the same values.
      let (w, g) = (try gpu.tensor(weights, shape: shape), try gpu.zeros(shape))
      let (m, v) = (try gpu.zeros(shape), try gpu.zeros(shape))
      for (step, gradient) in gradients.enumerated() {
        try cpu.copyIn(gradient, to: parameter.gradient)
        try adam.update([parameter], learningRate: 1e-2, on: cpu)
        try gpu.copyIn(gradient, to: g)
        try gpu.adamWUpdate(
          value: w, gradient: g, firstMoment: m, secondMoment: v, config: config, learningRate: 1e-2,
          step: step + 1, decays: decays)
      }
      let error = relativeError(try gpu.copyOut(w), try cpu.copyOut(parameter.value))
      if error > 1e-5 { failures += 1 }
      print(line(error <= 1e-5, "adamW decays=\(decays)", "weights", error, 1e-5))
    }
    failures += try checkClipping(gpu: gpu, cpu: cpu, gradients: gradients[0], shape: shape)
    failures += try checkBiasActivation(gpu: gpu, cpu: cpu, random: &random)
    return failures
  }

  private static func checkClipping(gpu: CUDABackend, cpu: CPUBackend, gradients: [Float], shape: [Int])
    throws
    -> Int
  {
    var rng = SplitMix64(seed: 0)
    let parameter = try Parameter(
      name: "w", shape: shape, initializer: .zeros, decays: true, on: cpu, rng: &rng)
    try cpu.copyIn(gradients, to: parameter.gradient)
    let cpuNorm = try GradientClipping.clip([parameter], maxNorm: 1, on: cpu)
    let g = try gpu.tensor(gradients, shape: shape)
    let gpuNorm = try gpu.clipGradients([g], maxNorm: 1)
    let normError = Double(abs(gpuNorm - cpuNorm) / max(cpuNorm, 1e-12))
    let error = max(normError, relativeError(try gpu.copyOut(g), try cpu.copyOut(parameter.gradient)))
    print(line(error <= 1e-5, "clipGradients", "gradients", error, 1e-5))
    return error <= 1e-5 ? 0 : 1
  }

  private static func checkBiasActivation(gpu: CUDABackend, cpu: CPUBackend, random: inout SplitMix64) throws
    -> Int
  {
    let (rows, columns) = (65, 96)
    let x = (0..<(rows * columns)).map { _ in random.nextSignedUnit() * 3 }
    let bias = (0..<columns).map { _ in random.nextSignedUnit() }
    var failures = 0
    for kind in Activation.allCases {
      let reference = try cpu.activation(
        kind, try cpu.add(try cpu.tensor(x, shape: [rows, columns]), try cpu.tensor(bias, shape: [columns])))
      let out = try gpu.zeros([rows, columns])
      try gpu.biasActivation(
        kind, x: try gpu.tensor(x, shape: [rows, columns]), bias: try gpu.tensor(bias, shape: [columns]),
        out: out)
      let error = relativeError(try gpu.copyOut(out), try cpu.copyOut(reference))
      if error > 1e-5 { failures += 1 }
      print(line(error <= 1e-5, "biasActivation \(kind)", "out", error, 1e-5))
    }
    return failures
  }
}
