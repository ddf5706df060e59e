// The directories a service may read job inputs from and write job outputs to. Every path a job names (inputs
// and output) is resolved — symbolic links followed, `.` and `..` removed; for a path that does not exist yet,
// its deepest existing ancestor is resolved and the rest appended — and must then lie inside one of the roots,
// so neither `..` nor a link can lead a job out of them.
// Refuses: a path outside every root (a JobSpecError naming the field: 422 over HTTP).
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

public struct DataRoots: Sendable, Equatable {
  /// The roots, resolved.
  public let directories: [String]

  public init(_ directories: [String]) {
    self.directories = directories.map(Self.resolve)
  }

  /// `TRIBUTARY_DATA_ROOTS` (colon-separated) when set and not empty, else nil.
  public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
    -> [String]?
  {
    guard let raw = environment["TRIBUTARY_DATA_ROOTS"] else { return nil }
    let roots = raw.split(separator: ":").map(String.init).filter { !$0.isEmpty }
    return roots.isEmpty ? nil : roots
  }

  /// Throws unless `path` resolves to a location inside one of the roots.
  public func check(_ path: String, field: String) throws(JobSpecError) {
    let resolved = Self.resolve(path)
    for root in directories where resolved == root || resolved.hasPrefix(root == "/" ? "/" : root + "/") {
      return
    }
    throw JobSpecError(
      field: field,
      "\(path) lies outside the service's data roots (\(directories.joined(separator: ", "))); "
        + "start the service with --data-root or TRIBUTARY_DATA_ROOTS to allow it")
  }

  /// Checks every path `spec` names.
  public func check(_ spec: JobSpec) throws(JobSpecError) {
    for (field, path) in spec.paths { try check(path, field: field) }
  }

  /// The absolute form of `path` with links, `.` and `..` resolved as far as the path exists.
  static func resolve(_ path: String) -> String {
    let absolute =
      path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    var components = URL(fileURLWithPath: absolute).standardizedFileURL.pathComponents.filter { $0 != "/" }
    var rest: [String] = []
    while true {
      let candidate = "/" + components.joined(separator: "/")
      if let real = realPath(candidate) {
        let joined = ([real == "/" ? "" : real] + rest).joined(separator: "/")
        return joined.isEmpty ? "/" : joined
      }
      guard let last = components.popLast() else { return "/" + rest.joined(separator: "/") }
      rest.insert(last, at: 0)
    }
  }

  private static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}

extension JobSpec {
  /// The file-system paths the job names, with the JSON field of each.
  public var paths: [(field: String, path: String)] {
    var paths: [(String, String)] = []
    if let output { paths.append(("output", output)) }
    if let parquet = embed?.parquet { paths.append(("embed.parquet", parquet)) }
    if let predict {
      paths.append(("predict.checkpoint", predict.checkpoint))
      paths.append(("predict.database", predict.database))
      if let seedsPath = predict.seedsPath { paths.append(("predict.seeds_path", seedsPath)) }
    }
    return paths
  }
}
