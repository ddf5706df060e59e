// NVRTC, bound at run time: compiles the kernels' CUDA C source to a cubin for the device's architecture (or to
// PTX for a virtual one), with the compiler log in the error when it refuses. Works without a GPU: CI compiles
// every kernel for sm_90 with the libnvrtc of PyPI's `nvidia-cuda-nvrtc-cu12`.
// Refuses: #include of CUDA headers (the sources are self-contained, so no toolkit is needed at run time).
import Foundation

/// The NVRTC functions, loaded by `NVRTC.load()`.
public struct NVRTC: @unchecked Sendable {
  // @unchecked: immutable C function pointers; NVRTC programs are not shared between threads.
  typealias Program = OpaquePointer
  typealias SizeQuery = @convention(c) (Program?, UnsafeMutablePointer<Int>) -> Int32
  typealias BytesQuery = @convention(c) (Program?, UnsafeMutablePointer<CChar>) -> Int32
  public let library: DynamicLibrary
  let nvrtcVersion: @convention(c) (UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Int32>) -> Int32
  let nvrtcGetErrorString: @convention(c) (Int32) -> UnsafePointer<CChar>?
  let nvrtcCreateProgram:
    @convention(c) (
      UnsafeMutablePointer<Program?>, UnsafePointer<CChar>, UnsafePointer<CChar>?, Int32,
      UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?
    ) -> Int32
  let nvrtcDestroyProgram: @convention(c) (UnsafeMutablePointer<Program?>) -> Int32
  let nvrtcCompileProgram: @convention(c) (Program?, Int32, UnsafePointer<UnsafePointer<CChar>?>?) -> Int32
  let nvrtcGetProgramLogSize: SizeQuery
  let nvrtcGetProgramLog: BytesQuery
  let nvrtcGetPTXSize: SizeQuery
  let nvrtcGetPTX: BytesQuery
  let nvrtcGetCUBINSize: SizeQuery
  let nvrtcGetCUBIN: BytesQuery

  /// Sonames, newest first: CUDA 13, then 12 (PyTorch's wheels ship libnvrtc.so.12 or .so.13).
  public static let sonames = ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so"]

  public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> NVRTC
  {
    let lib = try DynamicLibrary.open(
      "libnvrtc", candidates: LibrarySearch.candidates(sonames: sonames, environment: environment))
    return try NVRTC(
      library: lib, nvrtcVersion: lib.function("nvrtcVersion"),
      nvrtcGetErrorString: lib.function("nvrtcGetErrorString"),
      nvrtcCreateProgram: lib.function("nvrtcCreateProgram"),
      nvrtcDestroyProgram: lib.function("nvrtcDestroyProgram"),
      nvrtcCompileProgram: lib.function("nvrtcCompileProgram"),
      nvrtcGetProgramLogSize: lib.function("nvrtcGetProgramLogSize"),
      nvrtcGetProgramLog: lib.function("nvrtcGetProgramLog"),
      nvrtcGetPTXSize: lib.function("nvrtcGetPTXSize"),
      nvrtcGetPTX: lib.function("nvrtcGetPTX"), nvrtcGetCUBINSize: lib.function("nvrtcGetCUBINSize"),
      nvrtcGetCUBIN: lib.function("nvrtcGetCUBIN"))
  }

  /// "major.minor" of the loaded NVRTC.
  public func version() throws -> String {
    var (major, minor): (Int32, Int32) = (0, 0)
    try check(nvrtcVersion(&major, &minor), "nvrtcVersion")
    return "\(major).\(minor)"
  }

  /// What to produce: a cubin for a real architecture (`sm_90`), or PTX for a virtual one (`compute_90`).
  public enum Target: Sendable, Equatable {
    case cubin(smVersion: Int)
    case ptx(computeVersion: Int)

    var architectureFlag: String {
      switch self {
      case .cubin(let v): return "--gpu-architecture=sm_\(v)"
      case .ptx(let v): return "--gpu-architecture=compute_\(v)"
      }
    }
  }

  /// Compiles `source` (named `name` in logs) for `target`; returns the cubin or the NUL-terminated PTX.
  public func compile(_ source: String, name: String, target: Target, extraOptions: [String] = []) throws
    -> [UInt8]
  {
    var program: Program?
    try check(nvrtcCreateProgram(&program, source, name, 0, nil, nil), "nvrtcCreateProgram")
    defer { _ = nvrtcDestroyProgram(&program) }
    let options = [target.architectureFlag, "--std=c++17", "-default-device"] + extraOptions
    let status = withCStrings(options) { pointers in
      nvrtcCompileProgram(program, Int32(pointers.count), pointers.baseAddress)
    }
    guard status == 0 else { throw CUDAError.compilation(program: name, log: try log(program)) }
    switch target {
    case .cubin: return try bytes(program, size: nvrtcGetCUBINSize, get: nvrtcGetCUBIN, "nvrtcGetCUBIN")
    case .ptx: return try bytes(program, size: nvrtcGetPTXSize, get: nvrtcGetPTX, "nvrtcGetPTX")
    }
  }

  private func log(_ program: Program?) throws -> String {
    let raw = try bytes(program, size: nvrtcGetProgramLogSize, get: nvrtcGetProgramLog, "nvrtcGetProgramLog")
    return String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
  }

  private func bytes(_ program: Program?, size: SizeQuery, get: BytesQuery, _ function: String) throws
    -> [UInt8]
  {
    var count = 0
    try check(size(program, &count), function + "Size")
    var out = [UInt8](repeating: 0, count: max(count, 1))
    try out.withUnsafeMutableBytes { raw in
      guard let base = raw.baseAddress else { return }
      try check(get(program, base.assumingMemoryBound(to: CChar.self)), function)
    }
    return out
  }

  func check(_ status: Int32, _ function: String) throws {
    guard status != 0 else { return }
    let message = nvrtcGetErrorString(status).map { String(cString: $0) } ?? "unknown error"
    throw CUDAError.call(function: function, status: status, message: message)
  }
}

/// Calls `body` with C strings of `strings`, valid only during the call.
func withCStrings<R>(_ strings: [String], _ body: (UnsafeBufferPointer<UnsafePointer<CChar>?>) -> R) -> R {
  let duplicated = strings.map { strdup($0) }
  defer { duplicated.forEach { free($0) } }
  let constant = duplicated.map { $0.map { UnsafePointer($0) } }
  return constant.withUnsafeBufferPointer(body)
}
