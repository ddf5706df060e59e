// Structural rules of metadata.json that need no data: names exist and are unique, keys line up, time columns are
// timestamps, tasks are well-formed. Every problem is reported, not just the first.
extension DatabaseSpec {
  /// All structural problems, in document order; empty when the description is consistent.
  public func validate() -> [SpecError] {
    var issues: [SpecError] = []
    issues += duplicates(tables.map(\.name), what: "table", path: "tables")
    for table in tables { issues += validate(table) }
    issues += duplicates(tasks.map(\.name), what: "task", path: "tasks")
    for task in tasks { issues += validate(task) }
    return issues
  }

  /// Throws the first problem with a count of the rest, for callers that only need pass/fail.
  public func validated() throws -> DatabaseSpec {
    let issues = validate()
    guard let first = issues.first else { return self }
    let more = issues.count > 1 ? " (and \(issues.count - 1) more problem(s); run `tributary validate`)" : ""
    throw SpecError(path: first.path, message: first.message + more, file: first.file)
  }

  private func validate(_ table: TableSpec) -> [SpecError] {
    let path = "tables[\(table.name)]"
    var issues = duplicates(table.columns.map(\.name), what: "column", path: path + ".columns")
    func requireColumns(_ names: [String], _ what: String) {
      for name in names where table.column(named: name) == nil {
        issues.append(
          SpecError(path: path, message: "\(what) column '\(name)' is not among the table's columns"))
      }
    }
    if let key = table.primaryKey {
      if key.isEmpty { issues.append(SpecError(path: path, message: "primary_key is empty")) }
      requireColumns(key, "primary key")
    }
    if let time = table.timeColumn {
      requireColumns([time], "time")
      if let column = table.column(named: time), column.type != .timestamp {
        issues.append(
          SpecError(
            path: path, message: "time_column '\(time)' has type \(column.type.rawValue), not Timestamp"))
      }
    }
    for (index, foreignKey) in table.foreignKeys.enumerated() {
      requireColumns(foreignKey.columns, "foreign key")
      issues += validate(foreignKey, path: "\(path).foreign_keys[\(index)]")
    }
    return issues
  }

  private func validate(_ foreignKey: ForeignKeySpec, path: String) -> [SpecError] {
    guard let target = table(named: foreignKey.referencedTable) else {
      return [SpecError(path: path, message: "references unknown table '\(foreignKey.referencedTable)'")]
    }
    guard let key = target.primaryKey else {
      return [SpecError(path: path, message: "references table '\(target.name)', which has no primary_key")]
    }
    guard foreignKey.referencedColumns == key else {
      return [
        SpecError(
          path: path,
          message:
            "references \(target.name)(\(foreignKey.referencedColumns.joined(separator: ", "))), which is "
            + "not its primary key (\(key.joined(separator: ", ")))")
      ]
    }
    guard foreignKey.columns.count == key.count else {
      return [
        SpecError(path: path, message: "has \(foreignKey.columns.count) column(s) for a key of \(key.count)")
      ]
    }
    return []
  }

  private func validate(_ task: TaskSpec) -> [SpecError] {
    let path = "tasks[\(task.name)]"
    switch task.form {
    case .cell(let tableName):
      guard let table = table(named: tableName) else {
        return [SpecError(path: path, message: "table '\(tableName)' does not exist")]
      }
      var issues: [SpecError] = []
      if let target = table.column(named: task.target) {
        if target.type == .identifier || target.type == .ignored {
          issues.append(
            SpecError(path: path, message: "target '\(task.target)' has type \(target.type.rawValue)"))
        }
      } else {
        issues.append(
          SpecError(path: path, message: "target column '\(task.target)' is not a column of \(tableName)"))
      }
      for hidden in task.hide where table.column(named: hidden) == nil {
        issues.append(
          SpecError(path: path, message: "hidden column '\(hidden)' is not a column of \(tableName)"))
      }
      if case .temporal = task.split, table.timeColumn == nil {
        issues.append(
          SpecError(
            path: path, message: "a temporal split needs a time_column on \(tableName); use a random split"))
      }
      return issues
    case .entity(_, let entityTable, let entityColumns, _, let type, let horizonDays):
      var issues: [SpecError] = []
      if let table = table(named: entityTable) {
        if let key = table.primaryKey, key.count != entityColumns.count {
          issues.append(
            SpecError(
              path: path,
              message: "entity_columns has \(entityColumns.count) column(s) for a key of \(key.count)"))
        } else if table.primaryKey == nil {
          issues.append(SpecError(path: path, message: "entity_table '\(entityTable)' has no primary_key"))
        }
      } else {
        issues.append(SpecError(path: path, message: "entity_table '\(entityTable)' does not exist"))
      }
      if type == .identifier || type == .ignored {
        issues.append(SpecError(path: path, message: "type \(type.rawValue) cannot be predicted"))
      }
      if let horizonDays, !(horizonDays > 0) {
        issues.append(SpecError(path: path, message: "horizon_days must be positive"))
      }
      return issues
    }
  }

  private func duplicates(_ names: [String], what: String, path: String) -> [SpecError] {
    var seen = Set<String>()
    var reported = Set<String>()
    var issues: [SpecError] = []
    for name in names where !seen.insert(name).inserted && reported.insert(name).inserted {
      issues.append(SpecError(path: path, message: "duplicate \(what) name '\(name)'"))
    }
    return issues
  }
}
