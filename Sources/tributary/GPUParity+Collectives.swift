// `gpu check`'s data-parallel pieces on one GPU: NCCL with a group of one (ncclCommInitRank, which also checks the
// by-value unique id binding; all-reduce and broadcast must leave the values as they are), and the gradient
// buckets' packing on the device (copies into offset views of a flat buffer, the in-place scale, copies back)
// through a stand-in group of two whose sum doubles the buffer, so the mean gives back the gradients exactly.
// Two real ranks need two GPUs (`train --devices 2`).
import CUDA
import Foundation
import Tensor
import Training

extension GPUParity {
  static func checkCollectives(gpu: CUDABackend, seed: UInt64) throws -> Int {
    var random = SplitMix64(seed: seed)
    let shapes = [[37, 29], [1000], [7], [64, 65]]
    let values = shapes.map { shape in (0..<shape.reduce(1, *)).map { _ in random.nextSignedUnit() } }
    let tensors = try zip(values, shapes).map { try gpu.tensor($0, shape: $1) }
    var failures = 0
    func expectUnchanged(_ name: String) throws {
      let error = try zip(tensors, values).map { relativeError(try gpu.copyOut($0), $1) }.max() ?? 0
      if error != 0 { failures += 1 }
      print(line(error == 0, name, "values", error, 0))
    }
    do {
      let nccl = try NCCL.load()
      let communicator = try NCCLCommunicator(rank: 0, worldSize: 1, id: try nccl.uniqueId(), backend: gpu)
      for tensor in tensors { try communicator.allReduceSum(tensor, on: gpu) }
      try expectUnchanged("ncclAllReduce (1 rank)")
      for tensor in tensors { try communicator.broadcast(tensor, root: 0, on: gpu) }
      try expectUnchanged("ncclBroadcast (1 rank)")
    } catch {
      print("skip nccl: \(error)")
    }
    let buckets = try GradientBuckets(gradients: tensors, on: gpu, bucketBytes: 8192)
    try buckets.allReduceMean(with: DoublingPair(), on: gpu)
    try expectUnchanged("gradient buckets (\(buckets.count))")
    return failures
  }
}

/// A stand-in group of two on one device whose "other rank" holds the same values: the sum doubles the tensor.
private struct DoublingPair: Communicator {
  var rank: Int { 0 }
  var worldSize: Int { 2 }
  func allReduceSum(_ tensor: Tensor, on backend: any Backend) throws {
    try backend.run(.scaleForward(x: tensor, factor: 2, out: tensor))
  }
  func broadcast(_ tensor: Tensor, root: Int, on backend: any Backend) throws {}
}
