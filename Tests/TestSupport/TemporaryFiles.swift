// Temporary files for tests, each removed when nothing needs it any more. Every test process gets one folder,
// `$TMPDIR/tributary-tests-<pid>-<random>`, removed when the process exits (fixtures cached across tests live
// there). A test or suite marked `.removesTemporaryFiles` gets a folder of its own inside it, removed when the
// test ends, pass or fail; `TemporaryFiles.url`/`folder` place new paths in the running test's folder.
// Refuses to touch anything outside its own folders; it cannot clean up after a process killed with SIGKILL.
import Foundation
import Testing

public enum TemporaryFiles {
  /// The folder of this test process, created on first use and removed when the process exits.
  public static let processFolder: URL = {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "tributary-tests-\(getpid())-\(UUID().uuidString.prefix(8))")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: TemporaryFiles.processFolder) }
    return folder
  }()

  /// Set by the `.removesTemporaryFiles` trait for the duration of one test case (and the tasks it starts).
  @TaskLocal static var testFolder: URL?

  /// The running test's own folder when it carries `.removesTemporaryFiles`, otherwise the process folder.
  public static var currentFolder: URL { testFolder ?? processFolder }

  /// A fresh path `<label>-<uuid>` in the current folder; nothing is created at the path itself.
  public static func url(_ label: String) -> URL {
    currentFolder.appendingPathComponent("\(label)-\(UUID().uuidString)")
  }

  /// A fresh, empty folder in the current folder.
  public static func folder(_ label: String) throws -> URL {
    let url = url(label)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// A path named `name` inside a fresh folder of its own in the current folder (the folder is created, the file
  /// is not). Does not throw: a folder that could not be made shows up as the test's first write failing.
  public static func path(_ name: String) -> String {
    let folder = url("file")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent(name).path
  }

  /// A fresh path in the process folder (nothing created there), for fixtures that outlive the test that made
  /// them (a `static let` cache shared by several tests): it goes when the process exits.
  public static func processWideURL(_ label: String) -> URL {
    processFolder.appendingPathComponent("\(label)-\(UUID().uuidString)")
  }
}

/// Gives each test case its own temporary folder and removes it when the test case ends, pass or fail. On a
/// suite it applies to every test inside.
public struct RemovesTemporaryFilesTrait: TestTrait, SuiteTrait, TestScoping {
  public init() {}

  public var isRecursive: Bool { true }

  public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
    testCase == nil ? nil : self
  }

  public func provideScope(
    for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
  ) async throws {
    let folder = TemporaryFiles.processFolder.appendingPathComponent("test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try await TemporaryFiles.$testFolder.withValue(folder) { try await function() }
  }
}

extension Trait where Self == RemovesTemporaryFilesTrait {
  /// Whatever the test writes through `TemporaryFiles` is removed when it ends, pass or fail.
  public static var removesTemporaryFiles: Self { Self() }
}
