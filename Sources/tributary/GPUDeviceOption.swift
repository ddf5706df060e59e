// `--device cpu|cuda|auto` for the commands that run the engine (train, embed): which backend they get. `auto` takes
// the CUDA backend when a GPU and its libraries are found, else the CPU with the reason logged
// (`CUDABackend.orFallback`); `cuda` fails with the `CUDAError` instead.
// Refuses: choosing a GPU by anything but its ordinal (CUDA_VISIBLE_DEVICES still applies).
import ArgumentParser
import CUDA
import Tensor

enum DeviceChoice: String, ExpressibleByArgument, CaseIterable, Sendable {
  case cpu, cuda, auto

  /// The backend for this choice: GPU `index`, or the CPU with `threads` workers.
  func backend(threads: Int, device index: Int = 0) throws -> any Backend {
    switch self {
    case .cpu: return CPUBackend(threads: threads)
    case .cuda: return try CUDABackend(device: index)
    case .auto: return CUDABackend.orFallback(CPUBackend(threads: threads), device: index)
    }
  }
}

extension DeviceChoice {
  /// The embedder's device: nil for the CPU (MiniLM then runs its own parallel CPU workers), else the GPU backend.
  func embeddingDevice() throws -> (any Backend)? {
    guard self != .cpu else { return nil }
    let backend = try self.backend(threads: 1)
    return backend is CPUBackend ? nil : backend
  }

  /// Padded tokens per MiniLM batch: small batches on CPU workers, large ones to fill a GPU.
  var tokensPerBatch: Int { self == .cpu ? 2048 : 65536 }
}
