// A Python fake of a remote HTTP API (tools/fake_openai_server.py, tools/fake_chat_server.py) on a loopback port,
// for the lifetime of one test: the script prints its port on its first line and serves until its stdin closes.
// It does not know what the fake answers; the tests that use it do.
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

public final class FakeHTTPServer: @unchecked Sendable {
  private let process = Process()
  private let input = Pipe()
  public let port: Int
  /// `http://127.0.0.1:<port>`.
  public let baseURL: URL

  /// Starts `tools/<script>` with python3 and waits for the port it listens on.
  public init(script: String) throws {
    let output = Pipe()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", TestPaths.tool(script).path]
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    var line = Data()
    while let byte = try output.fileHandleForReading.read(upToCount: 1), !byte.isEmpty,
      byte != Data("\n".utf8)
    {
      line += byte
    }
    guard let port = Int(String(decoding: line, as: UTF8.self)),
      let baseURL = URL(string: "http://127.0.0.1:\(port)")
    else {
      throw TestFailure("fake server tools/\(script) did not start (first line: \(line.count) bytes)")
    }
    self.port = port
    self.baseURL = baseURL
  }

  deinit {
    try? input.fileHandleForWriting.close()
    // SIGKILL, not terminate(): a child spawned from a test thread can inherit a mask that blocks SIGTERM, and
    // its stdin may stay open in other children spawned concurrently, so neither would end it.
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }
}
