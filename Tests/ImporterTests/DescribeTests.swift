// describe against shop.expected.json, an annotation written by hand in tools/make_importer_fixtures.py: every
// key, foreign key, time column and semantic type must match; the written file must load and pass the spec.
import DatabaseSpec
import Foundation
import TestSupport
import Testing

@testable import Importer

@Suite struct DescribeTests {
  let proposal: DescribeProposal
  let truth: DatabaseSpec

  init() throws {
    proposal = try Describer.propose(directory: Fixtures.url("shop"), threads: 2)
    truth = try DatabaseSpec.load(contentsOf: Fixtures.url("shop.expected.json"))
  }

  @Test func primaryKeysSingleAndComposite() throws {
    for table in truth.tables {
      #expect(proposal.spec.table(named: table.name)?.primaryKey == table.primaryKey, "\(table.name)")
    }
  }

  @Test func foreignKeysIncludingCompositeAndDangling() throws {
    for table in truth.tables {
      let proposed = try #require(proposal.spec.table(named: table.name))
      #expect(
        Set(proposed.foreignKeys.map(\.columns)) == Set(table.foreignKeys.map(\.columns)), "\(table.name)")
      for key in table.foreignKeys {
        let match = proposed.foreignKeys.first { $0.columns == key.columns }
        #expect(match?.referencedTable == key.referencedTable)
        #expect(match?.referencedColumns == key.referencedColumns)
      }
    }
    // page_views names customers 41...45, which do not exist: 40 of the 45 distinct values are found.
    #expect(proposal.foreignKeyInclusion["page_views(customer_id)"] == 40.0 / 45.0)
  }

  @Test func semanticTypesAndTimeColumns() throws {
    for table in truth.tables {
      let proposed = try #require(proposal.spec.table(named: table.name))
      #expect(proposed.timeColumn == table.timeColumn, "\(table.name)")
      for column in table.columns {
        #expect(proposed.semanticType(of: column.name) == column.type, "\(table.name).\(column.name)")
      }
    }
  }

  @Test func comparisonCountsEveryDisagreement() {
    var wrong = truth
    wrong.tables[0].primaryKey = ["name"]
    wrong.tables[0].columns[1].type = .categorical
    wrong.tables[2].foreignKeys = []
    let score = AnnotationComparison.score(proposed: proposal.spec, truth: wrong)
    #expect(score.primaryKeysCorrect == truth.tables.count - 1)
    #expect(score.typesCorrect == score.typesTotal - 1)
    #expect(score.foreignKeysTrue == 5 && score.foreignKeysFound == 5 && score.foreignKeysProposed == 6)
    #expect(score.disagreements.count == 3)
  }

  @Test(.removesTemporaryFiles) func writesAValidFileAndRefusesToOverwrite() throws {
    let folder = try TemporaryFiles.folder("describe")
    for name in try FileManager.default.contentsOfDirectory(atPath: Fixtures.url("shop").path) {
      try FileManager.default.copyItem(
        at: Fixtures.url("shop").appendingPathComponent(name), to: folder.appendingPathComponent(name))
    }
    try proposal.write(to: folder, force: false)
    let written = try DatabaseSpec.load(contentsOf: folder.appendingPathComponent("metadata.json"))
    #expect(written == proposal.spec)
    #expect(written.validate().isEmpty)
    #expect(throws: DescribeError.self) { try proposal.write(to: folder, force: false) }
    try proposal.write(to: folder, force: true)
  }
}
