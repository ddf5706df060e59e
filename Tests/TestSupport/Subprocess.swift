// Runs a command to its end with posix_spawn + waitpid and returns what it printed (stdout and stderr together).
// Not Foundation's Process: a daemon the command leaves behind (`pg_ctl start`) inherits the descriptors Process
// watches, and its waitUntilExit then never returns. Refuses nothing; a failing command throws with its output.
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

public enum Subprocess {
  /// Runs `argv` (argv[0] an absolute path), its output captured in `outputFile` (removed afterwards).
  @discardableResult
  public static func run(_ argv: [String], outputFile: String) throws -> String {
    guard let executable = argv.first else { throw TestFailure("no command to run") }
    defer { try? FileManager.default.removeItem(atPath: outputFile) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    let cArguments = argv.map { strdup($0) } + [nil]
    defer { cArguments.forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, executable, &actions, nil, cArguments, environ)
    guard spawned == 0 else { throw TestFailure("cannot start \(executable): error \(spawned)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let text = (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? ""
    guard status == 0 else { throw TestFailure("\(argv.joined(separator: " ")) failed (\(status)): \(text)") }
    return text
  }
}
