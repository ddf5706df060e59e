// What `tributary gpu info` prints: each CUDA library found (path, version) or why not, and every device (name,
// memory, compute capability, multiprocessors). Loads libraries only; compiles nothing and allocates nothing.
// Refuses: throwing; a missing piece is a line of the report, not an error.
import Foundation

/// A readable report of the CUDA libraries and devices on this machine.
public enum CUDAInfo {
  public static func report(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    let libraries = [
      probe("libcuda") { try driverLines(environment) },
      probe("nvrtc") {
        let nvrtc = try NVRTC.load(environment: environment)
        return ["\(nvrtc.library.path), version \(try nvrtc.version())"]
      },
      probe("cublasLt") {
        let lt = try CuBLASLt(environment: environment, createHandle: false)
        return ["\(lt.library.path), version \(lt.version)"]
      },
      probe("nccl", unavailable: "unavailable (single GPU only)") {
        let nccl = try NCCL.load(environment: environment)
        return ["\(nccl.library.path), version \(try nccl.version()) (multi-GPU data parallel)"]
      },
    ]
    return libraries.flatMap { $0 }.joined(separator: "\n")
  }

  /// `name: <first line>` and the further lines `load` returns, or `name: unavailable: <why>`.
  private static func probe(
    _ name: String, unavailable: String = "unavailable", _ load: () throws -> [String]
  ) -> [String] {
    do {
      let lines = try load()
      return lines.enumerated().map { $0.offset == 0 ? "\(name): \($0.element)" : $0.element }
    } catch {
      return ["\(name): \(unavailable): \(error)"]
    }
  }

  /// The driver's line, then one line per device.
  private static func driverLines(_ environment: [String: String]) throws -> [String] {
    let driver = try DriverAPI.load(environment: environment)
    var lines = ["\(driver.library.path), driver CUDA \(try driver.version())"]
    let devices = try CUDADevice.enumerate(driver)
    if devices.isEmpty { lines.append("devices: none visible") }
    for d in devices {
      lines.append(
        "device \(d.index): \(d.name), \(String(format: "%.1f", Double(d.totalMemory) / Double(1 << 30))) GiB, "
          + "compute capability \(d.computeCapability.major).\(d.computeCapability.minor), \(d.multiprocessors) SMs"
      )
    }
    return lines
  }
}
