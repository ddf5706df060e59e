// Compiles every kernel with NVRTC for sm_90 (H100), as the backend does at start-up, without a GPU: NVRTC is a
// host-only library (PyPI's nvidia-cuda-nvrtc-cu12, installed by scripts/setup.sh). Skips with a visible message
// when no libnvrtc can be found.
import Foundation
import Testing

@testable import CUDA

@Suite struct KernelCompilationTests {
  /// NVRTC from the usual places, else from the folder of Python's `nvidia.cuda_nvrtc` package.
  static let nvrtc: NVRTC? = {
    if let found = try? NVRTC.load() { return found }
    var environment = ProcessInfo.processInfo.environment
    environment["TRIBUTARY_CUDA_LIBRARY_PATH"] = pythonPackageLibrary()
    do {
      return try NVRTC.load(environment: environment)
    } catch {
      print(
        "SKIPPED KernelCompilationTests: \(error) ---> HINT: scripts/setup.sh installs nvidia-cuda-nvrtc-cu12"
      )
      return nil
    }
  }()

  static func pythonPackageLibrary() -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "python3", "-c", "import nvidia.cuda_nvrtc as n, os; print(os.path.join(list(n.__path__)[0], 'lib'))",
    ]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return "" }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
  }

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
    print(
      "nvrtc \(try nvrtc.version()): \(KernelSource.kernelNames.count) kernels, \(ptx.utf8.count) bytes of PTX"
    )
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
