import Foundation
import TestSupport
import Testing

@testable import DatabaseSpec

let sharedDatabases = TestPaths.sharedDatabases

@Test(arguments: ["f1", "nycflights13", "history-meta-stackexchange", "movielens-small"])
func sharedDatabasesAreValid(name: String) throws {
  let spec = try DatabaseSpec.load(
    contentsOf: sharedDatabases.appendingPathComponent("\(name)/metadata.json"))
  #expect(spec.name == name)
  #expect(!spec.tables.isEmpty)
  #expect(spec.validate() == [])
}

@Test func decodesTheSpecExample() throws {
  let spec = try DatabaseSpec.decode(Data(SpecExample.valid.utf8))
  let results = try #require(spec.table(named: "results"))
  #expect(results.fileName == "results.parquet")
  #expect(results.primaryKey == ["resultId"])
  #expect(
    results.foreignKeys[0]
      == ForeignKeySpec(columns: ["raceId"], referencedTable: "races", referencedColumns: ["raceId"]))
  #expect(results.column(named: "positionOrder")?.isSignal == true)
  #expect(results.column(named: "raceId")?.isSignal == false)
  #expect(results.semanticType(of: "notListed") == .ignored)
  let dnf = try #require(spec.tasks.first { $0.name == "driver-dnf" })
  #expect(
    dnf.form
      == .entity(
        file: "tasks/driver-dnf.parquet", entityTable: "drivers", entityColumns: ["driverId"],
        timeColumn: "timestamp", type: .boolean, horizonDays: 30))
  #expect(
    dnf.split
      == .temporal(validationStartMicros: 1_262_304_000_000_000, testStartMicros: 1_451_606_400_000_000))
  #expect(spec.validate() == [])
}

@Test func encodingRoundTrips() throws {
  let spec = try DatabaseSpec.decode(Data(SpecExample.valid.utf8))
  #expect(try DatabaseSpec.decode(spec.encoded()) == spec)
}

@Test(arguments: [
  (#""tables": ["#, #""tablez": ["#, "unknown key(s) 'tablez'"),
  (#""type": "Numerical", "signal""#, #""type": "Numerical", "signl""#, "tables[results].columns[2]"),
  (#""type": "Numerical""#, #""type": "Number""#, "unknown semantic type 'Number'"),
  (#""test_start": "2016-01-01""#, #""test_start": "2016-13-01""#, "not an ISO-8601 date"),
  (#""format": 1"#, #""format": 2"#, "format 2 is not supported"),
  (#""horizon_days": 30"#, #""horizon_days": 30, "table": "drivers""#, "names 'entity_table', not 'table'"),
])
func decodingErrorsNameTheirPlace(original: String, replacement: String, expected: String) {
  let text = SpecExample.valid.replacingOccurrences(of: original, with: replacement)
  #expect(text != SpecExample.valid)
  do {
    _ = try DatabaseSpec.decode(Data(text.utf8), file: "metadata.json")
    Issue.record("decoded despite \(replacement)")
  } catch {
    #expect("\(error)".contains(expected), "\(error)")
    #expect("\(error)".hasPrefix("metadata.json"))
  }
}

@Test(arguments: [
  (#""time_column": "date""#, #""time_column": "positionOrder""#, "has type Numerical, not Timestamp"),
  (#""columns": ["driverId"]}}"#, #""columns": ["forename"]}}"#, "not its primary key"),
  (#""table": "drivers""#, #""table": "pilots""#, "unknown table 'pilots'"),
  (#""target": "positionOrder""#, #""target": "nope""#, "target column 'nope'"),
  (#""entity_table": "drivers""#, #""entity_table": "racers""#, "entity_table 'racers' does not exist"),
  (#""primary_key": ["resultId"]"#, #""primary_key": ["resultID"]"#, "primary key column 'resultID'"),
  (
    #""name": "races", "primary_key""#, #""name": "results", "primary_key""#, "duplicate table name 'results'"
  ),
])
func validationErrorsNameTheirPlace(original: String, replacement: String, expected: String) throws {
  let text = SpecExample.valid.replacingOccurrences(of: original, with: replacement)
  #expect(text != SpecExample.valid)
  let issues = try DatabaseSpec.decode(Data(text.utf8)).validate()
  #expect(issues.contains { "\($0)".contains(expected) }, "\(issues)")
}

enum SpecExample {
  static let valid = #"""
    {
      "format": 1,
      "name": "f1",
      "tables": [
        {
          "name": "results",
          "primary_key": ["resultId"],
          "time_column": "date",
          "foreign_keys": [
            {"columns": ["raceId"], "references": {"table": "races", "columns": ["raceId"]}},
            {"columns": ["driverId"], "references": {"table": "drivers", "columns": ["driverId"]}}
          ],
          "columns": [
            {"name": "resultId", "type": "Identifier"},
            {"name": "raceId", "type": "Identifier"},
            {"name": "positionOrder", "type": "Numerical", "signal": true, "description": "finishing position"},
            {"name": "driverId", "type": "Identifier"},
            {"name": "date", "type": "Timestamp"}
          ]
        },
        {"name": "races", "primary_key": ["raceId"], "columns": [{"name": "raceId", "type": "Identifier"}]},
        {"name": "drivers", "primary_key": ["driverId"],
         "columns": [{"name": "driverId", "type": "Identifier"}, {"name": "forename", "type": "Text"}]}
      ],
      "tasks": [
        {"name": "result-position", "table": "results", "target": "positionOrder",
         "split": {"validation_start": "2010-01-01", "test_start": "2016-01-01"}},
        {"name": "driver-dnf", "file": "tasks/driver-dnf.parquet", "entity_table": "drivers",
         "entity_columns": ["driverId"], "time_column": "timestamp", "target": "dnf", "type": "Boolean", "horizon_days": 30,
         "split": {"validation_start": "2010-01-01", "test_start": "2016-01-01"}}
      ]
    }
    """#
}
