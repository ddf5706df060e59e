// What `tributary gpu info` prints: each CUDA library found (path, version) or why not, and every device (name,
// memory, compute capability, multiprocessors). Loads libraries only; compiles nothing and allocates nothing.
// Refuses: throwing; a missing piece is a line of the report, not an error.
import Foundation

/// A readable report of the CUDA libraries and devices on this machine.
public enum CUDAInfo {
  public static func report(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    var lines: [String] = []
    do {
      let driver = try DriverAPI.load(environment: environment)
      lines.append("libcuda: \(driver.library.path), driver CUDA \(try driver.version())")
      let devices = try CUDADevice.enumerate(driver)
      if devices.isEmpty { lines.append("devices: none visible") }
      for d in devices {
        lines.append(
          "device \(d.index): \(d.name), \(String(format: "%.1f", Double(d.totalMemory) / Double(1 << 30))) GiB, "
            + "compute capability \(d.computeCapability.major).\(d.computeCapability.minor), \(d.multiprocessors) SMs"
        )
      }
    } catch {
      lines.append("libcuda: unavailable: \(error)")
    }
    do {
      let nvrtc = try NVRTC.load(environment: environment)
      lines.append("nvrtc: \(nvrtc.library.path), version \(try nvrtc.version())")
    } catch {
      lines.append("nvrtc: unavailable: \(error)")
    }
    do {
      let lt = try CuBLASLt(environment: environment, createHandle: false)
      lines.append("cublasLt: \(lt.library.path), version \(lt.version)")
    } catch {
      lines.append("cublasLt: unavailable: \(error)")
    }
    do {
      let nccl = try NCCL.load(environment: environment)
      lines.append("nccl: \(nccl.library.path), version \(try nccl.version()) (multi-GPU data parallel)")
    } catch {
      lines.append("nccl: unavailable (single GPU only): \(error)")
    }
    return lines.joined(separator: "\n")
  }
}
