// describe against the human annotations of three shared databases (../shared/databases; the accuracy table of
// docs/results.md): keys, foreign keys, time columns and semantic types must all agree. Skipped where the shared
// folder is absent. nycflights13 (336k rows) is left to tools/describe_accuracy.sh to keep the suite fast.
import DatabaseSpec
import Foundation
import TestSupport
import Testing

@testable import Importer

private let sharedDatabases = TestPaths.sharedDatabases

@Test(
  .enabled(if: FileManager.default.fileExists(atPath: sharedDatabases.path), "needs ../shared/databases"),
  arguments: ["movielens-small", "f1", "history-meta-stackexchange"])
func describeAgreesWithTheHumanAnnotation(database: String) throws {
  let folder = sharedDatabases.appendingPathComponent(database)
  let truth = try DatabaseSpec.load(contentsOf: folder.appendingPathComponent("metadata.json"))
  let proposal = try Describer.propose(directory: folder, threads: 2)
  let score = AnnotationComparison.score(proposed: proposal.spec, truth: truth)
  #expect(score.disagreements.isEmpty, "\(score.disagreements)")
  #expect(score.foreignKeysTrue > 0 && score.foreignKeysFound == score.foreignKeysTrue)
}
