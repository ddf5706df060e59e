// A throwaway PostgreSQL server for one test: Debian's binaries (`postgresql` package, installed by
// scripts/setup.sh), a fresh cluster (trust authentication, fsync off) listening on a free loopback port, stopped
// and removed when the last reference goes. PostgreSQL refuses to run as root, so as root it runs as the
// `postgres` user (runuser). The cluster lives in /tmp, not $TMPDIR: the socket path must stay short and the
// `postgres` user must be able to reach it. `available` is false without the binaries; tests then skip.
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

public final class TemporaryPostgres: @unchecked Sendable {
  public static let binDirectory: String? = {
    let root = "/usr/lib/postgresql"
    let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted {
      (Int($0) ?? 0) > (Int($1) ?? 0)
    }
    return versions.map { "\(root)/\($0)/bin" }.first {
      FileManager.default.isExecutableFile(atPath: "\($0)/initdb")
    }
  }()
  public static var available: Bool { binDirectory != nil }

  public let folder: URL
  public let port: Int
  private let bin: String
  public var url: String { "postgres://tributary@127.0.0.1:\(port)/postgres" }

  public init() throws {
    guard let bin = Self.binDirectory else { throw TestFailure("PostgreSQL binaries not found") }
    self.bin = bin
    folder = URL(fileURLWithPath: "/tmp").appendingPathComponent(
      "tributary-pg-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    do {
      port = try Self.start(bin: bin, folder: folder)
    } catch {
      let log = (try? String(contentsOf: folder.appendingPathComponent("log"), encoding: .utf8)) ?? ""
      Self.stopAndRemove(bin: bin, folder: folder)
      throw TestFailure("PostgreSQL did not start: \(error)\nserver log:\n\(log.suffix(2_000))")
    }
  }

  deinit { Self.stopAndRemove(bin: bin, folder: folder) }

  private static func stopAndRemove(bin: String, folder: URL) {
    _ = try? run("\(bin)/pg_ctl", ["-D", "\(folder.path)/data", "-m", "immediate", "-w", "stop"], in: folder)
    try? FileManager.default.removeItem(at: folder)
  }

  /// initdb, then pg_ctl start on a free port (three tries: another test may take the port in between).
  private static func start(bin: String, folder: URL) throws -> Int {
    if getuid() == 0 {
      try run("/bin/chown", ["-R", "postgres:postgres", folder.path], in: folder, asPostgres: false)
    }
    try run(
      "\(bin)/initdb",
      ["-D", "\(folder.path)/data", "-U", "tributary", "--auth=trust", "-E", "UTF8", "--no-sync"], in: folder)
    var failure: (any Error)?
    for _ in 0..<3 {
      let port = try freePort()
      let options = "-c listen_addresses=127.0.0.1 -p \(port) -k \(folder.path) -c fsync=off"
      do {
        try run(
          "\(bin)/pg_ctl",
          ["-D", "\(folder.path)/data", "-l", "\(folder.path)/log", "-w", "-o", options, "start"],
          in: folder)
        return port
      } catch {
        failure = error
      }
    }
    throw failure ?? TestFailure("pg_ctl start was not tried")
  }

  /// Runs an SQL file with psql, stopping at the first error.
  public func load(sqlFile: String) throws {
    try run(
      "\(bin)/psql",
      [
        "-q", "-h", "127.0.0.1", "-p", "\(port)", "-U", "tributary", "-d", "postgres", "-v",
        "ON_ERROR_STOP=1", "-f", sqlFile,
      ],
      asPostgres: false)
  }

  /// Runs a command to its end (as `postgres` when we are root and `asPostgres`) and returns its output.
  @discardableResult
  public func run(_ tool: String, _ arguments: [String], asPostgres: Bool = true) throws -> String {
    try Self.run(tool, arguments, in: folder, asPostgres: asPostgres)
  }

  @discardableResult
  private static func run(_ tool: String, _ arguments: [String], in folder: URL, asPostgres: Bool = true)
    throws
    -> String
  {
    let argv =
      (asPostgres && getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", tool] : [tool]) + arguments
    return try Subprocess.run(
      argv, outputFile: folder.appendingPathComponent("command-\(UUID().uuidString.prefix(8)).out").path)
  }

  /// A loopback port that was free a moment ago (the kernel's choice for port 0).
  static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw TestFailure("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
      }
    }
    guard bound else { throw TestFailure("cannot bind a loopback port") }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}
