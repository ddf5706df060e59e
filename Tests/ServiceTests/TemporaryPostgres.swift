// A throwaway PostgreSQL server for one test: Debian's binaries (`postgresql` package, installed by
// scripts/setup.sh), a fresh cluster in a temporary directory, listening on loopback only, stopped and removed
// when the test ends. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user (runuser).
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

final class TemporaryPostgres: @unchecked Sendable {
  let directory: String
  let port: Int
  let bin: String

  static var binDirectory: String? {
    let root = "/usr/lib/postgresql"
    let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
    return versions.sorted().reversed().map { "\(root)/\($0)/bin" }
      .first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
  }

  static var available: Bool { binDirectory != nil }

  var url: String { "postgres://tributary@127.0.0.1:\(port)/postgres" }

  init() throws {
    guard let bin = Self.binDirectory else { throw TestFailure("PostgreSQL binaries not found") }
    self.bin = bin
    directory = "/tmp/tributary-pg-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    if getuid() == 0 {
      try FileManager.default.setAttributes([.ownerAccountName: "postgres"], ofItemAtPath: directory)
    }
    try Self.run(bin + "/initdb", ["-D", directory + "/data", "-U", "tributary", "-A", "trust", "--no-sync"])
    var started: Int?
    for _ in 0..<3 where started == nil {
      let candidate = Int.random(in: 20_000...45_000)
      let options = "-p \(candidate) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off"
      if (try? Self.run(
        bin + "/pg_ctl", ["-D", directory + "/data", "-o", options, "-l", directory + "/log", "-w", "start"]))
        != nil
      {
        started = candidate
      }
    }
    guard let started else { throw TestFailure("PostgreSQL did not start (see \(directory)/log)") }
    port = started
  }

  deinit {
    _ = try? Self.run(bin + "/pg_ctl", ["-D", directory + "/data", "-m", "immediate", "stop"])
    try? FileManager.default.removeItem(atPath: directory)
  }

  /// Runs a PostgreSQL binary, as `postgres` when we are root. posix_spawn + waitpid rather than Foundation's
  /// Process: `pg_ctl start` leaves a daemon behind, and Process did not notice its parent exiting.
  static func run(_ executable: String, _ arguments: [String]) throws {
    let argv =
      getuid() == 0
      ? ["/usr/sbin/runuser", "-u", "postgres", "--", executable] + arguments : [executable] + arguments
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for descriptor: Int32 in [0, 1, 2] {
      posix_spawn_file_actions_addopen(
        &actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
    }
    var cStrings = argv.map { strdup($0) }
    defer { cStrings.forEach { free($0) } }
    cStrings.append(nil)
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, argv[0], &actions, nil, cStrings, environ)
    guard spawned == 0 else { throw TestFailure("cannot start \(argv[0]): error \(spawned)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    guard status == 0 else {
      throw TestFailure("\(executable) \(arguments.joined(separator: " ")) exited with status \(status)")
    }
  }
}
