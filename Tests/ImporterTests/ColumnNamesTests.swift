// Name heuristics: word splitting, identifier names, singular table names.
import Testing

@testable import Importer

@Test func splitsCamelSnakeAndKebabCase() {
  #expect(ColumnNames.words("OwnerUserId") == ["owner", "user", "id"])
  #expect(ColumnNames.words("time_hour") == ["time", "hour"])
  #expect(ColumnNames.words("first-seen") == ["first", "seen"])
  #expect(ColumnNames.words("UserID") == ["user", "id"])
}

@Test func recognisesIdentifierNames() {
  #expect(ColumnNames.isIdentifierLike("Id"))
  #expect(ColumnNames.isIdentifierLike("raceId"))
  #expect(ColumnNames.isIdentifierLike("flight_id"))
  #expect(ColumnNames.isIdentifierLike("UserID"))
  #expect(!ColumnNames.isIdentifierLike("paid"))
  #expect(!ColumnNames.isIdentifierLike("grid"))
}

@Test func singularsOfTableNames() {
  #expect(ColumnNames.singulars("races").contains("race"))
  #expect(ColumnNames.singulars("movies").contains("movie"))
  #expect(ColumnNames.singulars("status") == ["status"])
}
