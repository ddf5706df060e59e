// `validate`, second half: primary-key uniqueness, foreign keys against the referenced keys (type agreement is an
// error; dangling links are warnings with the first such row, as preprocessing only counts them), and tasks.
import DatabaseSpec
import Foundation

extension DatabaseCheck {
  static func checkKeys(_ tables: [LoadedTable], into problems: inout [ValidationProblem]) {
    var indexes: [String: KeyIndex] = [:]
    for table in tables {
      do {
        if let index = try GraphAssembly.primaryKeyIndex(table) { indexes[table.spec.name] = index }
      } catch {
        problems.append(ValidationProblem(severity: .error, message: "\(error)"))
      }
    }
    for table in tables {
      for (position, foreignKey) in table.spec.foreignKeys.enumerated() {
        guard let index = indexes[foreignKey.referencedTable] else { continue }
        checkForeignKey(table, foreignKey, keys: table.foreignKeys[position], index: index, into: &problems)
      }
    }
  }

  private static func checkForeignKey(
    _ table: LoadedTable, _ foreignKey: ForeignKeySpec, keys: KeyColumns, index: KeyIndex,
    into problems: inout [ValidationProblem]
  ) {
    let name =
      "\(table.file) (table \(table.spec.name)): foreign key (\(foreignKey.columns.joined(separator: ", "))) -> \(foreignKey.referencedTable)"
    for (part, referenced) in zip(keys.parts, index.parts) where part.isString != referenced.isString {
      problems.append(
        ValidationProblem(
          severity: .error, message: "\(name): one side is a string and the other a number or time"))
      return
    }
    var dangling = 0
    var firstRow: Int?
    for row in 0..<table.rowCount where keys.valid[row] && index.lookup(keys.parts, row: row) == nil {
      dangling += 1
      if firstRow == nil { firstRow = row }
    }
    if let firstRow {
      problems.append(
        ValidationProblem(
          severity: .warning,
          message: "\(name): \(dangling) dangling link(s) with no matching row, the first at row \(firstRow)")
      )
    }
  }

  static func checkTasks(
    _ spec: DatabaseSpec, tables: [LoadedTable], directory: URL, into problems: inout [ValidationProblem]
  ) {
    var vocabulary = VocabularyBuilder()
    for task in spec.tasks {
      do {
        let examples: TaskExamples
        switch task.form {
        case .cell(let tableName):
          guard let table = tables.first(where: { $0.spec.name == tableName }) else { continue }
          examples = try TaskMaterializer.cellTask(
            task, table: table, directory: directory, vocabulary: &vocabulary, columnIds: [:])
        case .entity(let file, let entityTable, let entityColumns, let timeColumn, let type, _):
          guard let table = tables.first(where: { $0.spec.name == entityTable }),
            let index = try GraphAssembly.primaryKeyIndex(table)
          else { continue }
          examples = try TaskMaterializer.entityTask(
            task, file: directory.appendingPathComponent(file).path, entityColumns: entityColumns,
            timeColumn: timeColumn, type: type, entityTable: table, index: index, vocabulary: &vocabulary)
        }
        if examples.dangling > 0 {
          problems.append(
            ValidationProblem(
              severity: .warning,
              message: "task \(task.name): \(examples.dangling) example(s) name an entity with no row"))
        }
        if examples.seedRows.isEmpty {
          problems.append(ValidationProblem(severity: .error, message: "task \(task.name): no examples"))
        }
      } catch {
        problems.append(ValidationProblem(severity: .error, message: "\(error)"))
      }
    }
  }
}
