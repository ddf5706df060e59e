// NCCL (libnccl.so.2), bound at run time like the other CUDA libraries: the few functions data-parallel training
// calls, declared here from nccl.h's documented signatures (ncclResult_t, ncclDataType_t and ncclRedOp_t are C
// ints, ncclComm_t an opaque pointer, ncclUniqueId a 128-byte struct). Found on the loader's path, in the CUDA
// toolkit, or in the `nvidia-nccl-cu12` wheel (`.../site-packages/nvidia/nccl/lib`, see `LibrarySearch`).
// Every call goes through `check`: a status becomes `CUDAError.call` with NCCL's own error string.
// Refuses: NCCL's group calls, user buffers registration, and reduction ops other than sum.
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// ncclUniqueId: 128 opaque bytes that rank 0 creates and every rank passes to `ncclCommInitRank`.
public struct NCCLUniqueId: Sendable, Equatable {
  public static let byteCount = 128
  public let bytes: [UInt8]

  public init(bytes: [UInt8]) throws {
    guard bytes.count == Self.byteCount else {
      throw CUDAError.unsupported(what: "NCCL unique id", detail: "\(bytes.count) bytes, expected 128")
    }
    self.bytes = bytes
  }

  /// 256 hex digits (how a launcher hands it to its ranks through the environment).
  public var hex: String { bytes.map { String(format: "%02x", $0) }.joined() }

  public init(hex: String) throws {
    let digits = Array(hex.utf8)
    guard digits.count == 2 * Self.byteCount else {
      throw CUDAError.unsupported(
        what: "NCCL unique id", detail: "\(digits.count) hex digits, expected \(2 * Self.byteCount)")
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(Self.byteCount)
    for index in stride(from: 0, to: digits.count, by: 2) {
      guard let byte = UInt8(String(decoding: digits[index..<(index + 2)], as: UTF8.self), radix: 16) else {
        throw CUDAError.unsupported(what: "NCCL unique id", detail: "not hex at digit \(index)")
      }
      bytes.append(byte)
    }
    try self.init(bytes: bytes)
  }
}

/// The NCCL functions, loaded once per communicator.
public struct NCCL: @unchecked Sendable {
  // @unchecked: immutable C function pointers; NCCL's calls are thread-safe per communicator.
  typealias Comm = OpaquePointer
  /// ncclUniqueId is passed by value. Swift cannot declare a C function taking a 128-byte array by value, so the
  /// signature uses glibc's `sockaddr_storage`, another 128-byte struct: both are MEMORY-class arguments of the same
  /// size (x86-64 SysV: copied onto the stack; AArch64: passed by reference to a copy). `load` checks the size.
  typealias UniqueIdArgument = sockaddr_storage
  public let library: DynamicLibrary
  let ncclGetVersion: @convention(c) (UnsafeMutablePointer<Int32>) -> Int32
  let ncclGetErrorString: @convention(c) (Int32) -> UnsafePointer<CChar>?
  let ncclGetUniqueId: @convention(c) (UnsafeMutableRawPointer) -> Int32
  let ncclCommInitRank: @convention(c) (UnsafeMutablePointer<Comm?>, Int32, UniqueIdArgument, Int32) -> Int32
  let ncclCommDestroy: @convention(c) (Comm?) -> Int32
  let ncclAllReduce:
    @convention(c) (DevicePointer, DevicePointer, Int, Int32, Int32, Comm?, OpaquePointer?) -> Int32
  let ncclBroadcast:
    @convention(c) (DevicePointer, DevicePointer, Int, Int32, Int32, Comm?, OpaquePointer?) -> Int32

  static let sonames = ["libnccl.so.2", "libnccl.so"]
  /// ncclDataType_t and ncclRedOp_t values used here.
  static let float32: Int32 = 7
  static let sum: Int32 = 0

  public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> NCCL
  {
    guard MemoryLayout<UniqueIdArgument>.size == NCCLUniqueId.byteCount else {
      throw CUDAError.unsupported(
        what: "NCCL", detail: "sockaddr_storage is \(MemoryLayout<UniqueIdArgument>.size) bytes, not 128")
    }
    let lib = try DynamicLibrary.open(
      "libnccl", candidates: LibrarySearch.candidates(sonames: sonames, environment: environment))
    return NCCL(
      library: lib, ncclGetVersion: try lib.function("ncclGetVersion"),
      ncclGetErrorString: try lib.function("ncclGetErrorString"),
      ncclGetUniqueId: try lib.function("ncclGetUniqueId"),
      ncclCommInitRank: try lib.function("ncclCommInitRank"),
      ncclCommDestroy: try lib.function("ncclCommDestroy"), ncclAllReduce: try lib.function("ncclAllReduce"),
      ncclBroadcast: try lib.function("ncclBroadcast"))
  }

  /// The version as NCCL encodes it (e.g. 22703 for 2.27.3).
  public func version() throws -> Int {
    var value: Int32 = 0
    try check(ncclGetVersion(&value), "ncclGetVersion")
    return Int(value)
  }

  /// A fresh unique id (rank 0's, or the launcher's, job).
  public func uniqueId() throws -> NCCLUniqueId {
    var bytes = [UInt8](repeating: 0, count: NCCLUniqueId.byteCount)
    let status = bytes.withUnsafeMutableBytes { buffer in
      buffer.baseAddress.map { ncclGetUniqueId($0) } ?? Self.invalidArgument
    }
    try check(status, "ncclGetUniqueId")
    return try NCCLUniqueId(bytes: bytes)
  }

  static let invalidArgument: Int32 = 4

  func check(_ status: Int32, _ function: String) throws {
    guard status != 0 else { return }
    let message = ncclGetErrorString(status).map { String(cString: $0) } ?? Self.statusName(status)
    throw CUDAError.call(function: function, status: status, message: message)
  }

  /// nccl.h's names of ncclResult_t, for statuses the library's own string does not cover.
  static func statusName(_ status: Int32) -> String {
    let names = [
      "ncclSuccess", "ncclUnhandledCudaError", "ncclSystemError", "ncclInternalError", "ncclInvalidArgument",
      "ncclInvalidUsage", "ncclRemoteError", "ncclInProgress",
    ]
    return names.indices.contains(Int(status)) ? names[Int(status)] : "unknown NCCL status \(status)"
  }
}
