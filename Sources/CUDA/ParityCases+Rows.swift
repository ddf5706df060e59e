// Parity cases of the row ops (norms, softmax, pooling, L2), attention (every mask kind) and the losses.
import Tensor

extension ParityCase {
  static var rowCases: [ParityCase] {
    [
      ParityCase(op: .layerNorm, name: "layerNorm", usesMatmul: false) { i in
        let (x, w, b) = (try i.uniform([33, 300], scale: 3), try i.uniform([300]), try i.uniform([300]))
        let (out, mean, rstd) = (
          try i.backend.zeros([33, 300]), try i.backend.zeros([33]), try i.backend.zeros([33])
        )
        try i.run(
          .layerNormForward(x: x, weight: w, bias: b, out: out, mean: mean, rstd: rstd, epsilon: 1e-5))
        let (dout, dx, dw, db) = (
          try i.uniform([33, 300]), try i.uniform([33, 300]), try i.uniform([300]), try i.uniform([300])
        )
        try i.run(
          .layerNormBackward(
            dout: dout, x: x, weight: w, mean: mean, rstd: rstd, dx: dx, dweight: dw, dbias: db))
        return [("out", out), ("mean", mean), ("rstd", rstd), ("dx", dx), ("dweight", dw), ("dbias", db)]
      },
      ParityCase(op: .rmsNorm, name: "rmsNorm", usesMatmul: false) { i in
        let (x, w) = (try i.uniform([130, 256], scale: 3), try i.uniform([256]))
        let (out, rstd) = (try i.backend.zeros([130, 256]), try i.backend.zeros([130]))
        try i.run(.rmsNormForward(x: x, weight: w, out: out, rstd: rstd, epsilon: 1e-6))
        let (dout, dx, dw) = (try i.uniform([130, 256]), try i.uniform([130, 256]), try i.uniform([256]))
        try i.run(.rmsNormBackward(dout: dout, x: x, weight: w, rstd: rstd, dx: dx, dweight: dw))
        return [("out", out), ("rstd", rstd), ("dx", dx), ("dweight", dw)]
      },
      ParityCase(op: .softmax, name: "softmax", usesMatmul: false) { i in
        let (x, probs) = (try i.uniform([33, 1000], scale: 8), try i.backend.zeros([33, 1000]))
        try i.run(.softmaxForward(x: x, probs: probs))
        let (dout, dx) = (try i.uniform([33, 1000]), try i.uniform([33, 1000]))
        try i.run(.softmaxBackward(dout: dout, probs: probs, dx: dx))
        return [("probs", probs), ("dx", dx)]
      },
      ParityCase(op: .meanPool, name: "meanPool", usesMatmul: false) { i in
        let x = try i.uniform([3, 17, 24])
        let keep = try i.backend.tensor(
          (0..<51).map { $0 % 5 == 0 || $0 >= 34 ? 0 : 1 }, shape: [3, 17])
        let out = try i.backend.zeros([3, 24])
        try i.run(.meanPoolForward(x: x, keep: keep, out: out))
        let (dout, dx) = (try i.uniform([3, 24]), try i.uniform([3, 17, 24]))
        try i.run(.meanPoolBackward(dout: dout, keep: keep, dx: dx))
        return [("out", out), ("dx", dx)]
      },
      ParityCase(op: .l2Normalize, name: "l2Normalize", usesMatmul: false) { i in
        let x = try i.uniform([33, 384])
        let (out, norm) = (try i.backend.zeros([33, 384]), try i.backend.zeros([33]))
        try i.run(.l2NormalizeForward(x: x, out: out, norm: norm, epsilon: 1e-12))
        let (dout, dx) = (try i.uniform([33, 384]), try i.uniform([33, 384]))
        try i.run(.l2NormalizeBackward(dout: dout, out: out, norm: norm, epsilon: 1e-12, dx: dx))
        return [("out", out), ("norm", norm), ("dx", dx)]
      },
    ]
  }

  /// The mask kinds at B = 2, H = 4, Tq = 33, Tk = 70 (three key tiles, one partial); every 7th query sees nothing.
  static var attentionCases: [ParityCase] {
    ["none", "keyPadding", "additive", "packedKeep", "packedKeep shared"].map { kind in
      ParityCase(op: .attention, name: "attention \(kind)", usesMatmul: true) { i in
        let (b, h, tq, tk, dh) = (2, 4, 33, 70, 16)
        let mask = try attentionMask(kind, i, batch: b, heads: h, queries: tq, keys: tk)
        let (q, k, v) = (
          try i.uniform([b, tq, h * dh]), try i.uniform([b, tk, h * dh]), try i.uniform([b, tk, h * dh])
        )
        let (out, probs) = (try i.backend.zeros([b, tq, h * dh]), try i.backend.zeros([b, h, tq, tk]))
        try i.run(.attentionForward(q: q, k: k, v: v, mask: mask, heads: h, out: out, probs: probs))
        let dout = try i.uniform([b, tq, h * dh])
        let (dq, dk, dv) = (
          try i.uniform([b, tq, h * dh]), try i.uniform([b, tk, h * dh]), try i.uniform([b, tk, h * dh])
        )
        try i.run(
          .attentionBackward(dout: dout, q: q, k: k, v: v, probs: probs, heads: h, dq: dq, dk: dk, dv: dv))
        return [("out", out), ("probs", probs), ("dq", dq), ("dk", dk), ("dv", dv)]
      }
    }
  }

  static func attentionMask(
    _ kind: String, _ i: ParityInputs, batch: Int, heads: Int, queries: Int, keys: Int
  ) throws -> AttentionMask {
    switch kind {
    case "none": return .none
    case "keyPadding":
      return try AttentionMasks.keyPadding(lengths: [keys, keys / 2 + 3], keys: keys, on: i.backend)
    case "additive":
      let shape = [batch, 1, queries, keys]
      return try AttentionMasks.additive(
        fromKeep: i.keep(shape.reduce(1, *), keys: keys, probability: 0.5, hiddenRowEvery: 7), shape: shape,
        on: i.backend)
    case "packedKeep":
      let shape = [batch, heads, queries, keys]
      return try AttentionMasks.packed(
        fromKeep: i.keep(shape.reduce(1, *), keys: keys, probability: 0.4, hiddenRowEvery: 7), shape: shape,
        on: i.backend)
    default:
      let shape = [1, 1, queries, keys]
      return try AttentionMasks.packed(
        fromKeep: i.keep(shape.reduce(1, *), keys: keys, probability: 0.1, hiddenRowEvery: 5), shape: shape,
        on: i.backend)
    }
  }

  static var lossCases: [ParityCase] {
    [
      ParityCase(op: .huberLoss, name: "huberLoss", usesMatmul: false) { i in
        let (pred, target, loss) = (
          try i.uniform([300], scale: 3), try i.uniform([300], scale: 3), try i.backend.zeros([1])
        )
        try i.run(.huberLossForward(pred: pred, target: target, delta: 1, loss: loss))
        let dpred = try i.uniform([300])
        try i.run(.huberLossBackward(pred: pred, target: target, delta: 1, dloss: 0.7, dpred: dpred))
        return [("loss", loss), ("dpred", dpred)]
      },
      ParityCase(op: .bceWithLogits, name: "bceWithLogits", usesMatmul: false) { i in
        let (logits, targets, loss) = (
          try i.uniform([300], scale: 6), try i.unit([300]), try i.backend.zeros([1])
        )
        try i.run(.bceWithLogitsForward(logits: logits, targets: targets, loss: loss))
        let dlogits = try i.uniform([300])
        try i.run(.bceWithLogitsBackward(logits: logits, targets: targets, dloss: 1.3, dlogits: dlogits))
        return [("loss", loss), ("dlogits", dlogits)]
      },
      ParityCase(op: .crossEntropy, name: "crossEntropy", usesMatmul: false) { i in
        let (logits, targets) = (try i.uniform([40, 77], scale: 5), try i.ids(40, below: 77, from: -5))
        let (loss, probs) = (try i.backend.zeros([1]), try i.backend.zeros([40, 77]))
        try i.run(.crossEntropyForward(logits: logits, targets: targets, loss: loss, probs: probs))
        let dlogits = try i.uniform([40, 77])
        try i.run(.crossEntropyBackward(probs: probs, targets: targets, dloss: 0.9, dlogits: dlogits))
        return [("loss", loss), ("probs", probs), ("dlogits", dlogits)]
      },
      ParityCase(op: .infoNCE, name: "infoNCE", usesMatmul: true) { i in
        let (queries, candidates, targets) = (
          try i.uniform([24, 32]), try i.uniform([50, 32]), try i.ids(24, below: 50, from: -3)
        )
        let (loss, probs) = (try i.backend.zeros([1]), try i.backend.zeros([24, 50]))
        try i.run(
          .infoNCEForward(
            queries: queries, candidates: candidates, targets: targets, temperature: 0.1, loss: loss,
            probs: probs))
        let (dq, dc) = (try i.uniform([24, 32]), try i.uniform([50, 32]))
        try i.run(
          .infoNCEBackward(
            queries: queries, candidates: candidates, probs: probs, targets: targets, temperature: 0.1,
            dloss: 1,
            dqueries: dq, dcandidates: dc))
        return [("loss", loss), ("probs", probs), ("dqueries", dq), ("dcandidates", dc)]
      },
    ]
  }
}

/// ||a - b|| / max(||b||, 1e-12): the error of `a` relative to the reference `b`.
public func relativeError(_ a: [Float], _ b: [Float]) -> Double {
  guard a.count == b.count else { return .infinity }
  var (difference, reference) = (0.0, 0.0)
  for (x, y) in zip(a, b) {
    difference += Double(x - y) * Double(x - y)
    reference += Double(y) * Double(y)
  }
  return (difference / max(reference, 1e-24)).squareRoot()
}
