// The shared vocabulary of categorical and text values. Each distinct *embedded string* gets one id: for a
// Categorical column that string is "<column> is <value>" (the same value in two columns means two things), for a
// Text column it is the value itself, cut to `maxTextCharacters` characters (the embedder then truncates to its own
// token limit: 256 word pieces for all-MiniLM-L6-v2). Ids are assigned in first-seen order, which is deterministic
// because tables and columns are processed in metadata order.

public struct VocabularyEntry: Sendable, Equatable {
  /// The string that is embedded.
  public var text: String
  /// The cell's value as the user wrote it (for decoding).
  public var value: String
  /// Global id of the first column the entry was seen in.
  public var column: Int32
}

public struct VocabularyBuilder: Sendable {
  /// Text values longer than this are cut before embedding; 256 word pieces rarely exceed ~1,500 characters.
  public static let maxTextCharacters = 2_000

  public private(set) var entries: [VocabularyEntry] = []
  private var ids: [String: Int32] = [:]

  public init() {}

  public var count: Int { entries.count }

  /// The id of a cell's value, adding it on first sight.
  public mutating func id(value: String, columnName: String, type: EmbeddedKind, column: Int32) -> Int32 {
    let text = Self.embeddedText(value: value, columnName: columnName, type: type)
    if let id = ids[text] { return id }
    let id = Int32(entries.count)
    ids[text] = id
    let stored = type == .text ? String(value.prefix(Self.maxTextCharacters)) : value
    entries.append(VocabularyEntry(text: text, value: stored, column: column))
    return id
  }

  public static func embeddedText(value: String, columnName: String, type: EmbeddedKind) -> String {
    switch type {
    case .categorical: return "\(columnName) is \(value)"
    case .text: return String(value.prefix(maxTextCharacters))
    }
  }

  public enum EmbeddedKind: Sendable { case categorical, text }
}
