// NCCL's host side without a GPU: a missing library is a typed error naming it (with the hint), statuses map to
// NCCL's own strings (or nccl.h's names), unique ids survive the hex round trip through the environment, and, where
// libnccl.so.2 is found (the `nvidia-nccl-cu12` wheel, or TRIBUTARY_CUDA_LIBRARY_PATH), the library loads, reports
// its version and makes unique ids (ncclGetUniqueId needs no GPU). Joining a communicator needs GPUs.
import Foundation
import Testing

@testable import CUDA

@Suite struct NCCLTests {
  @Test func aMissingLibraryIsATypedErrorNamingIt() throws {
    try withFakeLibrary("libnccl.so.2") { folder, fake in
      let candidates = LibrarySearch.candidates(
        sonames: NCCL.sonames, environment: ["TRIBUTARY_CUDA_LIBRARY_PATH": folder])
      #expect(candidates.contains(fake))
      #expect {
        _ = try DynamicLibrary.open("libnccl", candidates: [fake])
      } throws: { error in
        guard case .libraryNotFound(let name, let tried) = error as? CUDAError else { return false }
        return name == "libnccl" && tried.count == 1 && tried[0].contains(fake)
          && "\(error)".contains("TRIBUTARY_CUDA_LIBRARY_PATH")
      }
    }
  }

  @Test func statusesHaveNCCLsNames() {
    #expect(NCCL.statusName(1) == "ncclUnhandledCudaError")
    #expect(NCCL.statusName(4) == "ncclInvalidArgument")
    #expect(NCCL.statusName(7) == "ncclInProgress")
    #expect(NCCL.statusName(42) == "unknown NCCL status 42")
  }

  @Test func uniqueIdsRoundTripThroughHex() throws {
    let id = try NCCLUniqueId(bytes: (0..<128).map { UInt8($0 * 7 % 256) })
    #expect(id.hex.count == 256)
    #expect(try NCCLUniqueId(hex: id.hex) == id)
    #expect(throws: CUDAError.self) { try NCCLUniqueId(hex: "abc") }
    #expect(throws: CUDAError.self) { try NCCLUniqueId(hex: String(repeating: "zz", count: 128)) }
    #expect(throws: CUDAError.self) { try NCCLUniqueId(bytes: [1, 2, 3]) }
  }

  @Test func theLibraryLoadsAndMakesUniqueIdsWhereInstalled() throws {
    let nccl: NCCL
    do {
      nccl = try NCCL.load()
    } catch {
      print("SKIPPED theLibraryLoadsAndMakesUniqueIdsWhereInstalled: \(error)")
      return
    }
    #expect(try nccl.version() >= 20000)
    let (a, b) = (try nccl.uniqueId(), try nccl.uniqueId())
    #expect(a.bytes.count == 128 && a != b)
    #expect {
      try nccl.check(4, "ncclAllReduce")
    } throws: { error in
      guard case .call(let function, let status, let message) = error as? CUDAError else { return false }
      return function == "ncclAllReduce" && status == 4 && message.contains("invalid argument")
    }
  }
}

/// Calls `body(folder, path)` with a file `name` in a fresh temporary folder that is not a library, then removes it.
func withFakeLibrary(_ name: String, _ body: (String, String) throws -> Void) throws {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
    "tributary-cuda-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: folder) }
  let fake = folder.appendingPathComponent(name).path
  _ = FileManager.default.createFile(atPath: fake, contents: Data("not a library".utf8))
  try body(folder.path, fake)
}
