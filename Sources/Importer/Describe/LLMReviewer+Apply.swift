// Applying an LLM answer to a proposal, one checked suggestion at a time (see LLMReviewer.swift).
import DatabaseSpec

extension LLMReviewer {
  static func apply(
    _ answer: LLMAnswer, to proposal: inout DescribeProposal, profiles: [TableProfile],
    messages: inout [String]
  ) {
    for suggestion in answer.tables ?? [] {
      guard let index = proposal.spec.tables.firstIndex(where: { $0.name == suggestion.table }) else {
        messages.append("refused: table \(suggestion.table) does not exist")
        continue
      }
      proposal.spec.tables[index].description = suggestion.description
    }
    for suggestion in answer.columns ?? [] {
      applyColumn(suggestion, to: &proposal, profiles: profiles, messages: &messages)
    }
    for task in answer.tasks ?? [] {
      var candidate = proposal.spec
      candidate.tasks.append(
        TaskSpec(
          name: task.name, form: .cell(table: task.table), target: task.target,
          split: .random(validation: 0.1, test: 0.1, seed: 0)))
      let issues = candidate.validate()
      if issues.isEmpty {
        proposal.spec = candidate
        messages.append(
          "added task \(task.name): predict \(task.table).\(task.target) (random split: set dates for a temporal one)"
        )
      } else {
        messages.append("refused task \(task.name): \(issues.map(\.message).joined(separator: "; "))")
      }
    }
  }

  static func applyColumn(
    _ suggestion: LLMAnswer.Column, to proposal: inout DescribeProposal, profiles: [TableProfile],
    messages: inout [String]
  ) {
    let label = "\(suggestion.table).\(suggestion.column)"
    guard let tableIndex = proposal.spec.tables.firstIndex(where: { $0.name == suggestion.table }),
      let columnIndex = proposal.spec.tables[tableIndex].columns.firstIndex(where: {
        $0.name == suggestion.column
      }),
      let profile = profiles.first(where: { $0.name == suggestion.table })?.column(suggestion.column)
    else {
      messages.append("refused: \(label) does not exist")
      return
    }
    if let description = suggestion.description {
      proposal.spec.tables[tableIndex].columns[columnIndex].description = description
    }
    guard let typeName = suggestion.type else { return }
    guard let type = SemanticType(rawValue: typeName) else {
      messages.append("refused: \(label) as \(typeName), which is not a semantic type")
      return
    }
    let table = proposal.spec.tables[tableIndex]
    let current = table.columns[columnIndex].type
    guard type != current else { return }
    let keyColumns =
      (table.primaryKey ?? []) + table.foreignKeys.flatMap(\.columns) + [table.timeColumn].compactMap { $0 }
    if keyColumns.contains(suggestion.column) {
      messages.append("refused: \(label) is a key or time column; it stays \(current.rawValue)")
      return
    }
    guard fits(type, profile) else {
      messages.append("refused: \(label) as \(type.rawValue): its values are \(profile.kind.rawValue)")
      return
    }
    proposal.spec.tables[tableIndex].columns[columnIndex].type = type
    if let row = proposal.columns.firstIndex(where: {
      $0.table == suggestion.table && $0.column == suggestion.column
    }) {
      proposal.columns[row].type = type
      proposal.columns[row].why = "LLM review (was \(current.rawValue): \(proposal.columns[row].why))"
    }
    messages.append("changed \(label): \(current.rawValue) -> \(type.rawValue)")
  }

  /// Whether preprocessing can encode the column's values as `type`.
  static func fits(_ type: SemanticType, _ profile: ColumnProfile) -> Bool {
    switch type {
    case .ignored: return true
    case .timestamp: return profile.kind == .timestamp
    case .numerical: return [.integer, .float, .decimal, .boolean].contains(profile.kind)
    case .boolean: return profile.kind == .boolean || (profile.kind == .integer && profile.distinctCount <= 2)
    case .identifier: return [.integer, .string, .timestamp, .boolean].contains(profile.kind)
    case .categorical, .text: return [.string, .integer, .boolean, .float].contains(profile.kind)
    }
  }
}
