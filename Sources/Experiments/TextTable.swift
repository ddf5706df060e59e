// Aligned plain-text tables for the terminal: a header, a rule, and rows padded to the widest cell;
// numeric columns are right-aligned. It measures width in Characters, so wide glyphs may misalign.
public struct TextTable: Sendable {
  public var headers: [String]
  public var rows: [[String]]

  public init(headers: [String], rows: [[String]]) {
    self.headers = headers
    self.rows = rows
  }

  public func render() -> String {
    let columnCount = max(headers.count, rows.map(\.count).max() ?? 0)
    let cells = ([headers] + rows).map { row in
      (0..<columnCount).map { $0 < row.count ? row[$0] : "" }
    }
    let widths = (0..<columnCount).map { column in cells.map { $0[column].count }.max() ?? 0 }
    let numeric = (0..<columnCount).map { column in
      rows.contains { column < $0.count && !$0[column].isEmpty }
        && rows.allSatisfy { column >= $0.count || $0[column].isEmpty || Double($0[column]) != nil }
    }
    func line(_ row: [String]) -> String {
      row.enumerated().map { column, cell in
        let padding = String(repeating: " ", count: widths[column] - cell.count)
        return numeric[column] ? padding + cell : cell + padding
      }.joined(separator: "  ").replacing(/\s+$/, with: "")
    }
    let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
    return ([line(cells[0]), rule] + cells.dropFirst().map(line)).joined(separator: "\n")
  }
}
