// The collective boundary for data-parallel training: a rank among `worldSize` replicas sums tensors with the
// others (gradients) and receives rank 0's (initial weights). Implemented in process for N replicas on threads
// (`InProcessCommunicator`, tests and CPU runs) and over NCCL for one process per GPU (`Sources/CUDA`).
// Refuses: point-to-point messages and anything beyond sum and broadcast; collectives are called by every rank with
// the same shapes in the same order, or they fail (in process) or hang (NCCL, as any collective library).

/// One replica's view of a group of replicas.
public protocol Communicator: Sendable {
  /// This replica's index, 0..<worldSize.
  var rank: Int { get }
  var worldSize: Int { get }
  /// Every rank's dense f32 `tensor` (on `backend`) becomes the elementwise sum over ranks, bit-identical on
  /// every rank.
  func allReduceSum(_ tensor: Tensor, on backend: any Backend) throws
  /// Every rank's dense f32 `tensor` becomes rank `root`'s.
  func broadcast(_ tensor: Tensor, root: Int, on backend: any Backend) throws
}

/// The group of one: nothing to exchange (a single-replica run through the same code).
public struct SoloCommunicator: Communicator {
  public init() {}
  public var rank: Int { 0 }
  public var worldSize: Int { 1 }
  public func allReduceSum(_ tensor: Tensor, on backend: any Backend) throws {}
  public func broadcast(_ tensor: Tensor, root: Int, on backend: any Backend) throws {
    guard root == 0 else {
      throw TensorError.invalidArgument(what: "broadcast", detail: "root \(root) in a group of 1")
    }
  }
}
