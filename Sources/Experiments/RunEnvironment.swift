// What a run records about where it ran: tool version, git commit of the checkout the binary was built
// from, host, and hardware (CPU model, cores, threads, memory, GPUs). It reads /proc and asks `git`; it
// never fails a run: whatever cannot be found is left out.
import Foundation
import Runtime

public struct Hardware: Codable, Sendable, Equatable {
  public var cpuModel: String?
  public var cores: Int?
  public var threads: Int
  public var memoryBytes: UInt64
  public var gpu: String?
  public var os: String

  enum CodingKeys: String, CodingKey {
    case cpuModel = "cpu_model"
    case cores, threads
    case memoryBytes = "memory_bytes"
    case gpu, os
  }

  /// The machine this process runs on; `threads` defaults to the logical processors available.
  public static func current(threads: Int? = nil) -> Hardware {
    let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    return Hardware(
      cpuModel: firstValue(of: "model name", in: cpuinfo),
      cores: physicalCores(cpuinfo),
      threads: threads ?? ProcessInfo.processInfo.activeProcessorCount,
      memoryBytes: ProcessInfo.processInfo.physicalMemory,
      gpu: nvidiaGPUs(),
      os: ProcessInfo.processInfo.operatingSystemVersionString)
  }

  private static func firstValue(of key: String, in text: String) -> String? {
    for line in text.split(separator: "\n") where line.hasPrefix(key) {
      guard let colon = line.firstIndex(of: ":") else { continue }
      return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    return nil
  }

  /// Distinct (physical id, core id) pairs of /proc/cpuinfo.
  private static func physicalCores(_ cpuinfo: String) -> Int? {
    var pairs = Set<String>()
    for block in cpuinfo.components(separatedBy: "\n\n") {
      guard let core = firstValue(of: "core id", in: block) else { continue }
      pairs.insert("\(firstValue(of: "physical id", in: block) ?? "0")/\(core)")
    }
    return pairs.isEmpty ? nil : pairs.count
  }

  /// The models of the NVIDIA GPUs the driver reports, joined with " + ".
  private static func nvidiaGPUs() -> String? {
    let root = "/proc/driver/nvidia/gpus"
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else { return nil }
    let models = entries.sorted().compactMap { entry -> String? in
      guard let info = try? String(contentsOfFile: "\(root)/\(entry)/information", encoding: .utf8) else {
        return nil
      }
      return firstValue(of: "Model", in: info)
    }
    return models.isEmpty ? nil : models.joined(separator: " + ")
  }
}

enum GitCommit {
  /// The commit of the git checkout holding the running executable (a `.build/...` binary), else of the
  /// working directory; nil outside a checkout or without git.
  static func current() -> String? {
    let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
    let candidates = [
      executable.deletingLastPathComponent().path, FileManager.default.currentDirectoryPath,
    ]
    for directory in candidates {
      if let commit = revParse(in: directory) { return commit }
    }
    return nil
  }

  private static func revParse(in directory: String) -> String? {
    guard let commit = CommandOutput.run(["git", "-C", directory, "rev-parse", "HEAD"]) else { return nil }
    return commit.count == 40 ? commit : nil
  }

}
