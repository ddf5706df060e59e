// Compiles every kernel with NVRTC for sm_90 (H100), as the backend does at start-up, without a GPU: NVRTC is a
// host-only library (PyPI's nvidia-cuda-nvrtc-cu12, installed by scripts/setup.sh). Skips with a visible message
// when no libnvrtc can be found.
import Foundation
import Testing

@testable import CUDA

@Suite struct KernelCompilationTests {
  static let nvrtc: NVRTC? = {
    do {
      return try NVRTC.load()
    } catch {
      print("SKIPPED KernelCompilationTests: \(error)")
      return nil
    }
  }()

  @Test func everyKernelCompilesToCubinForHopper() throws {
    guard let nvrtc = Self.nvrtc else { return }
    let cubin = try nvrtc.compile(KernelSource.all, name: "tributary.cu", target: .cubin(smVersion: 90))
    // An ELF object: magic 0x7f 'E' 'L' 'F'.
    #expect(Array(cubin.prefix(4)) == [0x7F, 0x45, 0x4C, 0x46])
    let text = String(decoding: cubin, as: UTF8.self)
    for name in KernelSource.kernelNames {
      #expect(text.contains(name), "kernel \(name) is missing from the cubin")
    }
  }

  @Test func everyKernelCompilesToPTXForAVirtualArchitecture() throws {
    guard let nvrtc = Self.nvrtc else { return }
    let ptx = String(
      decoding: try nvrtc.compile(KernelSource.all, name: "tributary.cu", target: .ptx(computeVersion: 80))
        .prefix { $0 != 0 }, as: UTF8.self)
    for name in KernelSource.kernelNames {
      #expect(ptx.contains(".entry \(name)("), "kernel \(name) has no PTX entry point")
    }
    print("nvrtc \(try nvrtc.version()): \(KernelSource.kernelNames.count) kernels, \(ptx.utf8.count) bytes of PTX")
  }

  @Test func aBrokenKernelReportsTheCompilerLog() throws {
    guard let nvrtc = Self.nvrtc else { return }
    #expect {
      _ = try nvrtc.compile(
        "extern \"C\" __global__ void broken() { undeclared_name = 1; }", name: "broken.cu",
        target: .ptx(computeVersion: 80))
    } throws: { error in
      guard case .compilation(let program, let log) = error as? CUDAError else { return false }
      return program == "broken.cu" && log.contains("undeclared_name")
    }
  }
}
