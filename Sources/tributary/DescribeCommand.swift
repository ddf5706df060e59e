// `tributary describe DB_DIR [--write [--force]] [--compare HUMAN.json]`: proposes metadata.json for a folder of
// Parquet files and prints the review table; with --compare, scores the proposal against a human annotation.
import ArgumentParser
import DatabaseSpec
import Foundation
import Importer
import Logging
import Runtime

struct DescribeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "describe",
    abstract: "Propose metadata.json for a folder of Parquet files and print a review table.")

  @Argument(help: "Folder of Parquet files (one table per file).")
  var database: String

  @Flag(name: .long, help: "Write the proposal to DB_DIR/metadata.json.")
  var write = false

  @Flag(name: .long, help: "With --write: replace an existing metadata.json.")
  var force = false

  @Option(name: .long, help: "Score the proposal against this (human) metadata.json.")
  var compare: String?

  @Flag(
    name: .long,
    help:
      "Ask an OpenAI-compatible chat endpoint to review the proposal (OPENROUTER_API_KEY, TRIBUTARY_LLM_URL, TRIBUTARY_LLM_MODEL)."
  )
  var llm = false

  @Option(name: .long, help: "Worker threads (default: all cores).")
  var threads: Int = Parallel.defaultThreads

  func validate() throws {
    guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    guard !force || write else { throw ValidationError("--force only makes sense with --write") }
  }

  func run() async throws {
    let directory = URL(fileURLWithPath: database)
    let profiles = try DatabaseProfiler.profile(directory: directory, threads: threads)
    var proposal = Describer.propose(profiles, name: directory.standardizedFileURL.lastPathComponent)
    if llm {
      let (reviewed, messages) = await LLMReviewer.review(
        proposal, profiles: profiles, configuration: try LLMConfiguration.fromEnvironment(),
        logger: Logger(label: "tributary.describe"))
      proposal = reviewed
      for message in messages { print("llm: \(message)") }
    }
    print(proposal.reviewTable())
    if let compare {
      let truth = try DatabaseSpec.load(contentsOf: URL(fileURLWithPath: compare))
      printScore(AnnotationComparison.score(proposed: proposal.spec, truth: truth))
    }
    if write {
      try proposal.write(to: directory, force: force)
      print("wrote \(directory.appendingPathComponent("metadata.json").path)")
    }
  }

  private func printScore(_ score: AnnotationScore) {
    print("")
    print(
      String(
        format: "semantic types %d/%d (%.1f%%), primary keys %d/%d, time columns %d/%d, "
          + "foreign keys precision %d/%d recall %d/%d",
        score.typesCorrect, score.typesTotal, score.typeAccuracy * 100, score.primaryKeysCorrect,
        score.tables,
        score.timeColumnsCorrect, score.tables, score.foreignKeysFound, score.foreignKeysProposed,
        score.foreignKeysFound, score.foreignKeysTrue))
    for line in score.disagreements { print("  - \(line)") }
  }
}
