// The eight-lane exp/erf/tanh/sigmoid of the CPU kernels against glibc's scalar functions, with edges.
import Foundation
import Testing

@testable import Tensor

@Test func vectorTranscendentalsMatchLibm() {
  let inputs: [Float] = stride(from: -20, through: 20, by: 0.01).map { Float($0) } + [0, -0, 1e-6, -1e-6]
  var worst: [String: Float] = [:]
  for start in stride(from: 0, to: inputs.count, by: 8) {
    var v = SIMD8<Float>()
    let lanes = min(8, inputs.count - start)
    for lane in 0..<lanes { v[lane] = inputs[start + lane] }
    let (e, f, t, s) = (VectorMath.exp(v), VectorMath.erf(v), VectorMath.tanh(v), VectorMath.sigmoid(v))
    for lane in 0..<lanes {
      let x = Double(v[lane])
      worst["exp", default: 0] = max(
        worst["exp", default: 0], Float(abs(Double(e[lane]) - Foundation.exp(x)) / Foundation.exp(x)))
      worst["erf", default: 0] = max(
        worst["erf", default: 0], Float(abs(Double(f[lane]) - Foundation.erf(x))))
      worst["tanh", default: 0] = max(
        worst["tanh", default: 0], Float(abs(Double(t[lane]) - Foundation.tanh(x))))
      worst["sigmoid", default: 0] = max(
        worst["sigmoid", default: 0], Float(abs(Double(s[lane]) - 1 / (1 + Foundation.exp(-x)))))
    }
  }
  #expect(worst["exp", default: 1] < 3e-7, "exp relative error \(worst)")
  #expect(worst["erf", default: 1] < 3e-7, "erf absolute error \(worst)")
  #expect(worst["tanh", default: 1] < 3e-7, "tanh absolute error \(worst)")
  #expect(worst["sigmoid", default: 1] < 3e-7, "sigmoid absolute error \(worst)")
}

@Test func vectorExpEdges() {
  let v = SIMD8<Float>(-.infinity, -100, -87, 0, 1, 88, .infinity, .nan)
  let e = VectorMath.exp(v)
  #expect(e[0] == 0 && e[1] == 0)
  #expect(e[2] > 0 && abs(e[2] / Foundation.expf(-87) - 1) < 1e-5)
  #expect(e[3] == 1)
  #expect(abs(e[4] - Float(M_E)) < 1e-6)
  #expect(e[5].isFinite && e[5] > 1e38)
  #expect(e[6] > 1e38)
  #expect(e[7].isNaN)
}
