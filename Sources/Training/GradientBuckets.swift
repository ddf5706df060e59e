// Data-parallel gradient averaging: the parameters' gradients packed into a few flat buckets on the backend
// (about `bucketBytes` each, parameters in model order, never split), each bucket summed across ranks with one
// collective and scaled by 1 / worldSize, then unpacked. Fewer, larger collectives than one per parameter (NCCL's
// latency is per call); the packing copies stay on the device.
// Refuses: parameters of other dtypes than f32, and overlapping the all-reduce with backward (buckets are reduced
// after the whole backward; overlapping needs hooks in the model's backward).
import Model
import Tensor

/// Flat buckets over a model's gradients, reduced with a `Communicator`.
public struct GradientBuckets {
  /// 25 MiB, PyTorch DDP's default: large enough for bandwidth, small enough to pipeline later.
  public static let defaultBucketBytes = 25 << 20

  struct Bucket {
    let flat: Tensor
    /// (gradient, its view in `flat`)
    let members: [(gradient: Tensor, view: Tensor)]
  }

  let buckets: [Bucket]

  /// Buckets over `gradients` on `backend`, in order, closing a bucket when the next gradient would pass
  /// `bucketBytes` (a gradient larger than that gets a bucket of its own).
  public init(gradients: [Tensor], on backend: any Backend, bucketBytes: Int = defaultBucketBytes) throws {
    var groups: [[Tensor]] = [[]]
    var bytes = 0
    for gradient in gradients {
      guard gradient.dtype == .f32, gradient.isContiguous else {
        throw TensorError.invalidArgument(
          what: "GradientBuckets",
          detail: "gradients must be dense f32, found \(gradient.dtype) \(gradient.shape)")
      }
      let size = gradient.count * 4
      if bytes > 0, bytes + size > bucketBytes {
        groups.append([])
        bytes = 0
      }
      groups[groups.count - 1].append(gradient)
      bytes += size
    }
    buckets = try groups.filter { !$0.isEmpty }.map { try Self.bucket($0, on: backend) }
  }

  private static func bucket(_ gradients: [Tensor], on backend: any Backend) throws -> Bucket {
    let flat = try backend.allocate(shape: [gradients.reduce(0) { $0 + $1.count }], dtype: .f32)
    var offset = 0
    var members: [(gradient: Tensor, view: Tensor)] = []
    for gradient in gradients {
      let view = Tensor(
        storage: flat.storage, dtype: .f32, shape: gradient.shape, offset: flat.offset + offset)
      members.append((gradient, view))
      offset += gradient.count
    }
    return Bucket(flat: flat, members: members)
  }

  /// How many collectives a step makes.
  public var count: Int { buckets.count }

  /// Replaces every gradient by its mean over the ranks of `communicator`.
  public func allReduceMean(with communicator: any Communicator, on backend: any Backend) throws {
    guard communicator.worldSize > 1 else { return }
    let factor = 1 / Float(communicator.worldSize)
    for bucket in buckets {
      for member in bucket.members { try backend.copy(member.gradient, into: member.view) }
      try communicator.allReduceSum(bucket.flat, on: backend)
      try backend.run(.scaleForward(x: bucket.flat, factor: factor, out: bucket.flat))
      for member in bucket.members { try backend.copy(member.view, into: member.gradient) }
    }
  }
}

extension Array where Element == Parameter {
  /// Every rank's parameter values become rank 0's (replicas start from the same weights whatever their seeds).
  public func broadcastValues(with communicator: any Communicator, on backend: any Backend) throws {
    guard communicator.worldSize > 1 else { return }
    for parameter in self { try communicator.broadcast(parameter.value, root: 0, on: backend) }
  }
}
