// The CUDA backend: tensors in device memory (through the caching allocator), ops as NVRTC kernels and cuBLASLt
// GEMMs queued on one stream. This file holds construction, the CPU fallback and the memory verbs;
// `CUDABackend+Run.swift` dispatches op calls. Copies to the host wait for the stream; everything else is queued.
// Refuses: tensors of another backend (a typed error names the op and where the tensor lives).
import Foundation
import Logging
import Tensor

/// Runs ops on one NVIDIA GPU.
public struct CUDABackend: Backend {
  public let device: CUDADevice
  public let precision: MatmulPrecision
  let blas: CuBLASLt
  /// cuBLASLt's workspace (kept alive with the backend).
  let workspace: Tensor
  static let workspaceBytes = 32 << 20
  public var name: String { "cuda:\(device.properties.index)" }
  public var apiVersion: Int { tensorBackendAPIVersion }

  /// Opens GPU `index`: loads libcuda, NVRTC and cuBLASLt, compiles the kernels. Throws a `CUDAError` naming what
  /// is missing.
  public init(device index: Int = 0, precision: MatmulPrecision = .bf16) throws {
    let nvrtc = try NVRTC.load()
    device = try CUDADevice(index: index, nvrtc: nvrtc)
    try device.makeCurrent()
    blas = try CuBLASLt()
    self.precision = precision
    let address = try device.allocator.allocate(bytes: Self.workspaceBytes, stream: device.streamID)
    workspace = Self.wrap(
      address, bytes: Self.workspaceBytes, shape: [Self.workspaceBytes / 4], dtype: .f32,
      name: "cuda:\(index)", allocator: device.allocator)
  }

  /// The CUDA backend when a GPU and the libraries are present, else `fallback`, with the reason logged.
  public static func orFallback(
    _ fallback: any Backend, device index: Int = 0, precision: MatmulPrecision = .bf16
  )
    -> any Backend
  {
    do {
      return try CUDABackend(device: index, precision: precision)
    } catch {
      Logger(label: "tributary.cuda").warning(
        "no CUDA backend, running on \(fallback.name)", metadata: ["reason": "\(error)"])
      return fallback
    }
  }

  static func wrap(
    _ address: DevicePointer, bytes: Int, shape: [Int], dtype: DType, name: String,
    allocator: CachingAllocator
  ) -> Tensor {
    let storage = Storage(
      byteCount: bytes, location: .device(backend: name, handle: address),
      release: { allocator.release(address) })
    return Tensor(storage: storage, dtype: dtype, shape: shape)
  }

  public func allocate(shape: [Int], dtype: DType) throws -> Tensor {
    let bytes = try denseByteCount(shape: shape, dtype: dtype)
    let address = try device.allocator.allocate(bytes: bytes, stream: device.streamID)
    try device.memset(address, bytes: bytes)
    return Self.wrap(
      address, bytes: bytes, shape: shape, dtype: dtype, name: name, allocator: device.allocator)
  }

  /// A dense tensor whose contents are undefined (no memset): scratch space inside an op.
  func uninitialized(_ shape: [Int], dtype: DType = .f32) throws -> Tensor {
    let bytes = try denseByteCount(shape: shape, dtype: dtype)
    let address = try device.allocator.allocate(bytes: bytes, stream: device.streamID)
    return Self.wrap(
      address, bytes: bytes, shape: shape, dtype: dtype, name: name, allocator: device.allocator)
  }

  /// The device address of a tensor's first element; throws unless it lives on this backend and fits its storage.
  func address(_ t: Tensor, _ what: String = "tensor") throws -> DevicePointer {
    guard case .device(let owner, let handle) = t.storage.location, owner == name else {
      throw TensorError.invalidArgument(
        what: what,
        detail: "tensor lives on \(t.storage.location), not on \(name) ---> HINT: copy it in first")
    }
    guard t.offset >= 0, (t.offset + (t.isContiguous ? t.count : 0)) * t.dtype.byteSize <= t.storage.byteCount
    else {
      throw TensorError.invalidArgument(what: what, detail: "view runs past the end of its storage")
    }
    return handle + UInt64(t.offset * t.dtype.byteSize)
  }

  /// `address` of an optional tensor (0 for nil: kernels treat a null pointer as absent).
  func address(_ t: Tensor?, _ what: String = "tensor") throws -> DevicePointer {
    guard let t else { return 0 }
    return try address(t, what)
  }

  public func copyIn(_ values: [Float], to tensor: Tensor) throws {
    try Self.checkDense(values.count, tensor, "copyIn")
    let target = try address(tensor, "copyIn")
    switch tensor.dtype {
    case .f32:
      try values.withUnsafeBytes { try device.upload($0, to: target) }
    case .f16, .bf16:
      let bits = values.map {
        tensor.dtype == .f16 ? HalfPrecision.f32ToF16($0) : HalfPrecision.f32ToBF16($0)
      }
      try bits.withUnsafeBytes { try device.upload($0, to: target) }
    case .i32:
      throw TensorError.dtypeMismatch(what: "copyIn of floats", expected: .f32, found: .i32)
    }
  }

  public func copyIn(_ values: [Int32], to tensor: Tensor) throws {
    try Self.checkDense(values.count, tensor, "copyIn")
    guard tensor.dtype == .i32 else {
      throw TensorError.dtypeMismatch(what: "copyIn of ids", expected: .i32, found: tensor.dtype)
    }
    let target = try address(tensor, "copyIn")
    try values.withUnsafeBytes { try device.upload($0, to: target) }
  }

  public func copyOut(_ tensor: Tensor) throws -> [Float] {
    var source = tensor
    if !(tensor.isContiguous && tensor.dtype == .f32) {
      source = try uninitialized(tensor.shape)
      try copy(tensor, into: source)
    }
    let from = try address(source, "copyOut")
    var out = [Float](repeating: 0, count: source.count)
    try withExtendedLifetime(source) {
      try out.withUnsafeMutableBytes { try device.download(from, to: $0) }
    }
    return out
  }

  public func copy(_ source: Tensor, into destination: Tensor) throws {
    guard source.shape == destination.shape else {
      throw TensorError.shapeMismatch(what: "copy", expected: "\(source.shape)", found: destination.shape)
    }
    guard source.dtype != .i32, destination.dtype != .i32,
      destination.dtype == .f32 || destination.dtype == source.dtype
    else {
      throw TensorError.dtypeMismatch(what: "copy", expected: source.dtype, found: destination.dtype)
    }
    guard destination.isContiguous else { throw TensorError.notContiguous(what: "copy destination") }
    let (from, to) = (try address(source, "copy source"), try address(destination, "copy destination"))
    if source.isContiguous, source.dtype == destination.dtype {
      try device.copyOnDevice(from: from, to: to, bytes: source.count * source.dtype.byteSize)
      return
    }
    let base = from - UInt64(source.offset * source.dtype.byteSize)
    try launch(
      "strided_copy", .elements(source.count),
      [
        .pointer(base), .int32(Self.dtypeCode(source.dtype)), .int64s(try StructArguments.view(source)),
        .pointer(to), .int32(Self.dtypeCode(destination.dtype)), .int64(source.count),
      ])
  }

  public func zero(_ tensor: Tensor) throws {
    guard tensor.isContiguous else { throw TensorError.notContiguous(what: "zero") }
    try device.memset(try address(tensor, "zero"), bytes: tensor.count * tensor.dtype.byteSize)
  }

  public func supports(_ op: Op) -> Bool { true }

  /// Waits for every queued op (for timing, or before reading results some other way than `copyOut`).
  public func synchronize() throws { try device.synchronize() }

  static func dtypeCode(_ dtype: DType) -> Int32 {
    switch dtype {
    case .f32, .i32: return 0
    case .f16: return 1
    case .bf16: return 2
    }
  }

  static func checkDense(_ count: Int, _ tensor: Tensor, _ what: String) throws {
    guard count == tensor.count else {
      throw TensorError.shapeMismatch(
        what: "\(what) of \(count) values", expected: "\(count) elements", found: tensor.shape)
    }
    guard tensor.isContiguous else { throw TensorError.notContiguous(what: what) }
  }

  func launch(_ kernel: String, _ shape: LaunchShape, _ arguments: [KernelArgument]) throws {
    try device.launch(kernel, shape, arguments)
  }
}
