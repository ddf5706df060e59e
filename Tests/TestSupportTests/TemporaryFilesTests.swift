// The shared test helpers themselves: a test's temporary folder goes when the test ends, pass or fail, paths
// outside a scoped test land in the process folder, and commands run by Subprocess report their output.
import Foundation
import TestSupport
import Testing

/// The folder a scoped body saw, carried out of its @Sendable closure.
private final class Seen: @unchecked Sendable {
  private let lock = NSLock()
  private var url: URL?
  func set(_ value: URL) { lock.withLock { url = value } }
  var value: URL? { lock.withLock { url } }
}

private struct Planned: Error {}

@Test func aTestsFolderIsRemovedWhenItEndsEvenWhenItThrows() async throws {
  let test = try #require(Test.current)
  let seen = Seen()
  await #expect(throws: Planned.self) {
    try await RemovesTemporaryFilesTrait().provideScope(for: test, testCase: Test.Case.current) {
      let folder = try TemporaryFiles.folder("inner")
      try Data("x".utf8).write(to: folder.appendingPathComponent("file"))
      seen.set(folder)
      throw Planned()
    }
  }
  let folder = try #require(seen.value)
  let testFolder = folder.deletingLastPathComponent()
  #expect(testFolder.deletingLastPathComponent().path == TemporaryFiles.processFolder.path)
  #expect(!FileManager.default.fileExists(atPath: folder.path))
  #expect(!FileManager.default.fileExists(atPath: testFolder.path))
}

@Test func withoutTheTraitPathsGoToTheProcessFolder() throws {
  #expect(TemporaryFiles.currentFolder.path == TemporaryFiles.processFolder.path)
  let folder = try TemporaryFiles.folder("unscoped")
  defer { try? FileManager.default.removeItem(at: folder) }
  #expect(folder.deletingLastPathComponent().path == TemporaryFiles.processFolder.path)
  #expect(TemporaryFiles.processFolder.lastPathComponent.hasPrefix("tributary-tests-\(getpid())-"))
}

@Suite(.removesTemporaryFiles) struct ScopedSuiteTests {
  /// Suites that make fixtures in `init` (the PostgreSQL import suites) rely on it running inside the scope.
  let folderSeenByInit = TemporaryFiles.currentFolder

  @Test func initRunsInsideTheTestsScope() {
    #expect(folderSeenByInit.path == TemporaryFiles.currentFolder.path)
    #expect(folderSeenByInit.path != TemporaryFiles.processFolder.path)
  }

  @Test(arguments: [1, 2]) func eachTestCaseHasAFolderOfItsOwn(_ argument: Int) throws {
    let current = TemporaryFiles.currentFolder
    #expect(current.path != TemporaryFiles.processFolder.path)
    #expect(current.deletingLastPathComponent().path == TemporaryFiles.processFolder.path)
    #expect(FileManager.default.fileExists(atPath: current.path))
    let path = TemporaryFiles.path("data.bin")
    #expect(URL(fileURLWithPath: path).lastPathComponent == "data.bin")
    #expect(path.hasPrefix(current.path + "/"))
  }
}

@Test(.removesTemporaryFiles) func subprocessReturnsItsOutputAndThrowsWithItOnFailure() throws {
  let output = TemporaryFiles.path("out.txt")
  #expect(try Subprocess.run(["/bin/sh", "-c", "echo hi; echo err >&2"], outputFile: output) == "hi\nerr\n")
  #expect(!FileManager.default.fileExists(atPath: output))
  #expect {
    try Subprocess.run(["/bin/sh", "-c", "echo boom; exit 3"], outputFile: output)
  } throws: { error in
    "\(error)".contains("boom")
  }
}

@Test(.enabled(if: TemporaryPostgres.available, "needs Debian's postgresql package"))
func aReleasedPostgresServerIsStoppedAndItsClusterRemoved() throws {
  var folder: URL?
  do {
    let server = try TemporaryPostgres()
    folder = server.folder
    #expect(FileManager.default.fileExists(atPath: server.folder.appendingPathComponent("data").path))
    #expect(
      try server.run(
        "\(try #require(TemporaryPostgres.binDirectory))/pg_isready",
        ["-h", "127.0.0.1", "-p", "\(server.port)"], asPostgres: false
      ).contains("accepting"))
  }
  let removed = try #require(folder)
  #expect(!FileManager.default.fileExists(atPath: removed.path))
}
