// A throwaway PostgreSQL server for the import tests: initdb in a temporary folder, pg_ctl start on a free loopback
// port (trust authentication, fsync off), psql to load SQL, stop and delete at the end. PostgreSQL refuses to run
// as root, so under root the server runs as the `postgres` user (runuser). Needs Debian's postgresql package
// (scripts/setup.sh installs it); `available` is false without it and the tests that need it are skipped.
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

final class PostgresServer {
  static let binDirectory: String? = {
    let root = "/usr/lib/postgresql"
    let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted {
      (Int($0) ?? 0) > (Int($1) ?? 0)
    }
    return versions.map { "\(root)/\($0)/bin" }.first {
      FileManager.default.isExecutableFile(atPath: "\($0)/initdb")
    }
  }()
  static var available: Bool { binDirectory != nil }

  let folder: URL
  let port: Int
  let bin: String
  var url: String { "postgres://tributary@127.0.0.1:\(port)/postgres" }

  init() throws {
    guard let bin = Self.binDirectory else { throw ServerError("postgresql is not installed") }
    self.bin = bin
    folder = URL(fileURLWithPath: "/tmp").appendingPathComponent(
      "tributary-pg-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    port = try Self.freePort()
    if getuid() == 0 { try run("/bin/chown", ["-R", "postgres:postgres", folder.path], asPostgres: false) }
    try run(
      "\(bin)/initdb",
      ["-D", "\(folder.path)/data", "-U", "tributary", "--auth=trust", "-E", "UTF8", "--no-sync"])
    try run(
      "\(bin)/pg_ctl",
      [
        "-D", "\(folder.path)/data", "-l", "\(folder.path)/log", "-w", "-o",
        "-c listen_addresses=127.0.0.1 -p \(port) -k \(folder.path) -c fsync=off", "start",
      ])
  }

  deinit {
    try? run("\(bin)/pg_ctl", ["-D", "\(folder.path)/data", "-m", "immediate", "-w", "stop"])
    try? FileManager.default.removeItem(at: folder)
  }

  func load(sqlFile: String) throws {
    try run(
      "\(bin)/psql",
      [
        "-q", "-h", "127.0.0.1", "-p", "\(port)", "-U", "tributary", "-d", "postgres", "-v",
        "ON_ERROR_STOP=1", "-f", sqlFile,
      ],
      asPostgres: false)
  }

  /// posix_spawn + waitpid rather than Foundation's Process: the server that `pg_ctl start` leaves running inherits
  /// the descriptors Process watches, and its waitUntilExit then never returns.
  @discardableResult
  func run(_ tool: String, _ arguments: [String], asPostgres: Bool = true) throws -> String {
    let argv =
      (asPostgres && getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", tool] : [tool]) + arguments
    let outputPath = folder.appendingPathComponent("command-\(UUID().uuidString.prefix(8)).out").path
    defer { try? FileManager.default.removeItem(atPath: outputPath) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let cArguments = argv.map { strdup($0) } + [nil]
    defer { cArguments.forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
    guard spawned == 0 else { throw ServerError("cannot start \(argv[0]): error \(spawned)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
    guard status == 0 else { throw ServerError("\(argv.joined(separator: " ")) failed (\(status)): \(text)") }
    return text
  }

  static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw ServerError("socket() failed") }
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
    guard bound else { throw ServerError("cannot bind a loopback port") }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}

struct ServerError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
