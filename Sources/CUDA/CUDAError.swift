// The typed errors of the CUDA backend: a missing library or symbol, a failing CUDA call (with the function name and
// CUDA's own error string), a kernel that did not compile (with NVRTC's log), and an exhausted device.
// Refuses: bare status codes without the call that returned them.

/// What went wrong while loading or using CUDA.
public enum CUDAError: Error, Equatable, CustomStringConvertible, Sendable {
  /// None of the candidate files of a library could be opened; `tried` holds each `dlerror()`.
  case libraryNotFound(library: String, tried: [String])
  /// A library opened but lacks a function we call.
  case symbolNotFound(library: String, symbol: String)
  /// A driver, NVRTC or cuBLASLt call returned an error status.
  case call(function: String, status: Int32, message: String)
  /// NVRTC refused a kernel source; `log` is the compiler's output.
  case compilation(program: String, log: String)
  /// No CUDA device is visible (cuDeviceGetCount returned 0) or the index is out of range.
  case noDevice(detail: String)
  /// A kernel name that the compiled module does not contain, or bad launch arguments.
  case invalidLaunch(kernel: String, detail: String)
  /// The backend cannot run this call (dtype, rank, size limits of a kernel).
  case unsupported(what: String, detail: String)

  public var description: String {
    switch self {
    case .libraryNotFound(let library, let tried):
      return
        "\(library) not found (tried: \(tried.joined(separator: "; "))) ---> HINT: install the NVIDIA driver "
        + "and CUDA libraries, or set TRIBUTARY_CUDA_LIBRARY_PATH to the folders holding them"
    case .symbolNotFound(let library, let symbol):
      return "\(library) has no symbol \(symbol) ---> HINT: the library is too old; CUDA 12 or 13 is expected"
    case .call(let function, let status, let message):
      return "\(function) failed with status \(status): \(message)"
    case .compilation(let program, let log):
      return "NVRTC could not compile \(program):\n\(log)"
    case .noDevice(let detail):
      return "no CUDA device: \(detail)"
    case .invalidLaunch(let kernel, let detail):
      return "kernel \(kernel): \(detail)"
    case .unsupported(let what, let detail):
      return "\(what) is not supported on the CUDA backend: \(detail)"
    }
  }
}
