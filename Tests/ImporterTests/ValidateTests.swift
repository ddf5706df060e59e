// validate reports every problem of the broken fixture at once (broken.expected, written with the fixture), and
// nothing for a sound database.
import Foundation
import Preprocess
import TestSupport
import Testing

@Test func validateReportsEveryProblemOfTheBrokenFixture() throws {
  let problems = DatabaseCheck.run(directory: Fixtures.url("broken"), threads: 2)
  let expected = try String(contentsOf: Fixtures.url("broken.expected"), encoding: .utf8)
    .split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
  for fragments in expected {
    let severity = fragments[0]
    let found = problems.contains { problem in
      problem.severity.rawValue == severity
        && fragments.dropFirst().allSatisfy { problem.message.contains($0) }
    }
    #expect(found, "no \(severity) with \(fragments.dropFirst()) in \(problems)")
  }
  #expect(problems.count == expected.count)
}

@Test(.removesTemporaryFiles) func validatePassesTheDescribedShop() throws {
  let folder = try TemporaryFiles.folder("validate")
  for name in try FileManager.default.contentsOfDirectory(atPath: Fixtures.url("shop").path) {
    try FileManager.default.copyItem(
      at: Fixtures.url("shop").appendingPathComponent(name), to: folder.appendingPathComponent(name))
  }
  try FileManager.default.copyItem(
    at: Fixtures.url("shop.expected.json"), to: folder.appendingPathComponent("metadata.json"))
  let problems = DatabaseCheck.run(directory: folder, threads: 2)
  #expect(problems.filter { $0.severity == .error }.isEmpty, "\(problems)")
  #expect(problems.count == 1)  // page_views -> customers dangles
}
