// Parity of the CPU losses against the references.
import Testing

@testable import Tensor

@Sendable func parityHuber(_ seed: UInt64) throws {
  var p = Parity(seed)
  let (pred, pv) = try p.input([257], scale: 3)
  let (target, tv) = try p.input([257], scale: 3)
  let loss = try p.cpu.zeros([1])
  try p.cpu.run(.huberLossForward(pred: pred, target: target, delta: 0.8, loss: loss))
  try p.expectForward("huber", loss, [Reference.huberLoss(pv, tv, delta: 0.8)])
  let (dpred, base) = try p.gradient([257])
  try p.cpu.run(.huberLossBackward(pred: pred, target: target, delta: 0.8, dloss: 2, dpred: dpred))
  try p.expectBackward("huber", dpred, base: base, Reference.huberLossBackward(pv, tv, delta: 0.8, dloss: 2))
}

@Sendable func parityBCE(_ seed: UInt64) throws {
  var p = Parity(seed)
  let (logits, lv) = try p.input([257], scale: 8)
  let targetValues = p.data.floats(257).map { abs($0) }
  let targets = try p.cpu.tensor(targetValues, shape: [257])
  let tv = targetValues.map(Double.init)
  let loss = try p.cpu.zeros([1])
  try p.cpu.run(.bceWithLogitsForward(logits: logits, targets: targets, loss: loss))
  try p.expectForward("bce", loss, [Reference.bceWithLogits(lv, tv)])
  let (dlogits, base) = try p.gradient([257])
  try p.cpu.run(.bceWithLogitsBackward(logits: logits, targets: targets, dloss: 0.5, dlogits: dlogits))
  try p.expectBackward("bce", dlogits, base: base, Reference.bceWithLogitsBackward(lv, tv, dloss: 0.5))
}

@Sendable func parityCrossEntropy(_ seed: UInt64) throws {
  var p = Parity(seed)
  let (n, c) = (33, 67)
  let targets = (0..<n).map { $0 % 5 == 2 ? -1 : p.data.int(0..<c) }
  let targetTensor = try p.cpu.tensor(ids: targets.map { Int32($0) }, shape: [n])
  let (logits, lv) = try p.input([n, c], scale: 5)
  let (loss, probs) = (try p.cpu.zeros([1]), try p.cpu.zeros([n, c]))
  try p.cpu.run(.crossEntropyForward(logits: logits, targets: targetTensor, loss: loss, probs: probs))
  let ref = Reference.crossEntropy(lv, targets: targets, n: n, c: c)
  try p.expectForward("crossEntropy", loss, [ref.loss])
  try p.expectForward("crossEntropy probs", probs, ref.probs)
  let (dlogits, base) = try p.gradient([n, c])
  try p.cpu.run(.crossEntropyBackward(probs: probs, targets: targetTensor, dloss: 1.5, dlogits: dlogits))
  let g = Reference.crossEntropyBackward(probs: ref.probs, targets: targets, n: n, c: c, dloss: 1.5)
  try p.expectBackward("crossEntropy", dlogits, base: base, g)
}

@Sendable func parityInfoNCE(_ seed: UInt64) throws {
  var p = Parity(seed)
  let (n, m, d) = (33, 65, 17)
  let targets = (0..<n).map { _ in p.data.int(0..<m) }
  let targetTensor = try p.cpu.tensor(ids: targets.map { Int32($0) }, shape: [n])
  let (q, qv) = try p.input([n, d])
  let (c, cv) = try p.input([m, d])
  let (loss, probs) = (try p.cpu.zeros([1]), try p.cpu.zeros([n, m]))
  try p.cpu.run(
    .infoNCEForward(
      queries: q, candidates: c, targets: targetTensor, temperature: 0.1, loss: loss, probs: probs))
  let ref = Reference.infoNCE(
    queries: qv, candidates: cv, targets: targets, n: n, m: m, d: d, temperature: 0.1)
  try p.expectForward("infoNCE", loss, [ref.loss])
  let (dq, dqBase) = try p.gradient([n, d])
  let (dc, dcBase) = try p.gradient([m, d])
  try p.cpu.run(
    .infoNCEBackward(
      queries: q, candidates: c, probs: probs, targets: targetTensor, temperature: 0.1, dloss: 1,
      dqueries: dq,
      dcandidates: dc))
  let g = Reference.infoNCEBackward(
    queries: qv, candidates: cv, probs: ref.probs, targets: targets, n: n, m: m, d: d, temperature: 0.1,
    dloss: 1)
  try p.expectBackward("infoNCE dqueries", dq, base: dqBase, g.dqueries)
  try p.expectBackward("infoNCE dcandidates", dc, base: dcBase, g.dcandidates)
}
