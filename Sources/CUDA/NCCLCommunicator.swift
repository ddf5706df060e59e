// Data-parallel collectives over NCCL: one process per GPU, each with its own `CUDABackend`, joined into one NCCL
// communicator by the unique id the launcher (`tributary train --devices N`) created and handed to every rank.
// Collectives are queued on the backend's stream, in place, so they order with the step's kernels without a
// host synchronisation; a sum over 8 GPUs of a node rides NVLink through NCCL's ring/tree choice.
// Refuses: tensors of another backend or device, non-dense or non-f32 tensors (typed errors), and several GPUs
// per process (start one rank per GPU).
import Foundation
import Tensor

#if canImport(Glibc)
  import Glibc
#endif

/// One rank of an NCCL communicator on one GPU.
public final class NCCLCommunicator: Communicator, @unchecked Sendable {
  // @unchecked: immutable after init; NCCL allows calls on a communicator from any thread, one at a time, which
  // the training loop's single thread guarantees.
  public let rank: Int
  public let worldSize: Int
  let nccl: NCCL
  let comm: NCCL.Comm?
  let backend: CUDABackend

  /// Joins the group of `worldSize` ranks identified by `id` as `rank`, on `backend`'s GPU. Blocks until every rank
  /// has joined (NCCL's bootstrap).
  public init(rank: Int, worldSize: Int, id: NCCLUniqueId, backend: CUDABackend, nccl: NCCL? = nil) throws {
    guard let ranks = Int32(exactly: worldSize), let me = Int32(exactly: rank), (0..<worldSize).contains(rank)
    else {
      throw CUDAError.unsupported(what: "NCCL communicator", detail: "rank \(rank) of \(worldSize)")
    }
    let nccl = try nccl ?? NCCL.load()
    (self.rank, self.worldSize, self.nccl, self.backend) = (rank, worldSize, nccl, backend)
    var argument = NCCL.UniqueIdArgument()
    withUnsafeMutableBytes(of: &argument) { destination in
      id.bytes.withUnsafeBytes { destination.copyMemory(from: $0) }
    }
    try backend.device.makeCurrent()
    var handle: NCCL.Comm?
    try nccl.check(nccl.ncclCommInitRank(&handle, ranks, argument, me), "ncclCommInitRank")
    comm = handle
  }

  deinit { _ = nccl.ncclCommDestroy(comm) }

  public func allReduceSum(_ tensor: Tensor, on backend: any Backend) throws {
    let address = try buffer(tensor, on: backend, "allReduceSum")
    try nccl.check(
      nccl.ncclAllReduce(
        address, address, tensor.count, NCCL.float32, NCCL.sum, comm, self.backend.device.stream),
      "ncclAllReduce")
  }

  public func broadcast(_ tensor: Tensor, root: Int, on backend: any Backend) throws {
    guard let rootRank = Int32(exactly: root), (0..<worldSize).contains(root) else {
      throw CUDAError.unsupported(what: "ncclBroadcast", detail: "root \(root) of \(worldSize) ranks")
    }
    let address = try buffer(tensor, on: backend, "broadcast")
    try nccl.check(
      nccl.ncclBroadcast(
        address, address, tensor.count, NCCL.float32, rootRank, comm, self.backend.device.stream),
      "ncclBroadcast")
  }

  /// The device address of a dense f32 tensor of this rank's backend.
  private func buffer(_ tensor: Tensor, on backend: any Backend, _ what: String) throws -> DevicePointer {
    guard backend.name == self.backend.name else {
      throw CUDAError.unsupported(
        what: what,
        detail: "the communicator runs on \(self.backend.name), the tensor's backend is \(backend.name)")
    }
    guard tensor.dtype == .f32, tensor.isContiguous else {
      throw CUDAError.unsupported(
        what: what, detail: "needs a dense f32 tensor, found \(tensor.dtype) \(tensor.shape)")
    }
    try self.backend.device.makeCurrent()
    return try self.backend.address(tensor, what)
  }
}
