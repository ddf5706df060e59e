// BERT WordPiece tokenizer (uncased), matching Hugging Face `tokenizers` with all-MiniLM-L6-v2's tokenizer.json
// (padding off, truncation at 256 as sentence-transformers sets it):
//   * the special tokens [PAD] [UNK] [CLS] [SEP] [MASK] written literally in the text are matched first, on the
//     raw text, and keep their ids;
//   * the rest is normalised and split into words (BertNormalizer), then each word is split greedily into the
//     longest vocabulary pieces from the left, continuations prefixed "##"; a word with an unknown piece, or
//     longer than 100 scalars, becomes [UNK];
//   * [CLS] ... [SEP] around it, truncated so the whole sequence has at most `maxLength` ids.
// Refuses: vocabularies without the five special tokens.
import Foundation

/// Token ids of all-MiniLM-L6-v2's vocabulary that the model needs by name.
public struct SpecialTokenIDs: Sendable, Equatable {
  public let pad: Int32
  public let unknown: Int32
  public let classifier: Int32
  public let separator: Int32
  public let mask: Int32
}

public struct WordPieceTokenizer: Sendable {
  public let maxLength: Int
  public let special: SpecialTokenIDs
  private let vocabulary: [String: Int32]
  /// Literal special tokens matched on the raw text, with their ids.
  private let literalSpecials: [([Unicode.Scalar], Int32)]
  static let maxScalarsPerWord = 100

  /// Reads `vocab.txt`: one token per line, the id is the line number.
  public init(vocabularyFile path: String, maxLength: Int = 256) throws {
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw TextEmbeddingError.unreadableFile(path: path, reason: "\(error)")
    }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
      String($0.hasSuffix("\r") ? $0.dropLast() : $0)
    }
    if lines.last == "" { lines.removeLast() }
    try self.init(tokens: lines, maxLength: maxLength, source: path)
  }

  /// A vocabulary given as tokens in id order.
  public init(tokens: [String], maxLength: Int = 256, source: String = "<memory>") throws {
    guard maxLength >= 2 else {
      throw TextEmbeddingError.invalidVocabulary(
        path: source, reason: "maxLength \(maxLength) leaves no room")
    }
    var vocabulary: [String: Int32] = [:]
    vocabulary.reserveCapacity(tokens.count)
    for (index, token) in tokens.enumerated() where vocabulary[token] == nil {
      guard let id = Int32(exactly: index) else {
        throw TextEmbeddingError.invalidVocabulary(path: source, reason: "more than Int32.max tokens")
      }
      vocabulary[token] = id
    }
    func id(_ token: String) throws -> Int32 {
      guard let id = vocabulary[token] else {
        throw TextEmbeddingError.invalidVocabulary(path: source, reason: "no \(token) token")
      }
      return id
    }
    special = SpecialTokenIDs(
      pad: try id("[PAD]"), unknown: try id("[UNK]"), classifier: try id("[CLS]"), separator: try id("[SEP]"),
      mask: try id("[MASK]"))
    literalSpecials = try ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].map {
      (Array($0.unicodeScalars), try id($0))
    }
    self.vocabulary = vocabulary
    self.maxLength = maxLength
  }

  public var vocabularySize: Int { vocabulary.count }

  /// [CLS] pieces... [SEP], at most `maxLength` ids.
  public func encode(_ text: String) -> [Int32] {
    var ids: [Int32] = [special.classifier]
    ids.reserveCapacity(min(maxLength, text.utf8.count + 2))
    appendPieces(of: text, to: &ids, limit: maxLength - 1)
    ids.append(special.separator)
    return ids
  }

  /// The word-piece ids of `text` without [CLS]/[SEP], stopping once `ids` holds `limit` ids.
  func appendPieces(of text: String, to ids: inout [Int32], limit: Int) {
    let scalars = text.unicodeScalars
    var segmentStart = scalars.startIndex
    var index = scalars.startIndex
    while index < scalars.endIndex, ids.count < limit {
      if scalars[index] == "[", let (id, end) = literalSpecial(in: scalars, at: index) {
        appendSegment(scalars[segmentStart..<index], to: &ids, limit: limit)
        if ids.count < limit { ids.append(id) }
        segmentStart = end
        index = end
      } else {
        index = scalars.index(after: index)
      }
    }
    appendSegment(scalars[segmentStart..<scalars.endIndex], to: &ids, limit: limit)
  }

  private func literalSpecial(in scalars: String.UnicodeScalarView, at start: String.Index) -> (
    Int32, String.Index
  )? {
    for (token, id) in literalSpecials {
      var index = start
      var matched = true
      for expected in token {
        guard index < scalars.endIndex, scalars[index] == expected else {
          matched = false
          break
        }
        index = scalars.index(after: index)
      }
      if matched { return (id, index) }
    }
    return nil
  }

  private func appendSegment(_ segment: Substring.UnicodeScalarView, to ids: inout [Int32], limit: Int) {
    guard !segment.isEmpty, ids.count < limit else { return }
    let normalized = BertNormalizer.normalize(segment)
    for word in BertNormalizer.words(normalized) {
      guard ids.count < limit else { return }
      appendWordPieces(normalized[word], to: &ids, limit: limit)
    }
  }

  /// Greedy longest-match-first; the whole word is [UNK] if any position has no matching piece.
  private func appendWordPieces(_ word: ArraySlice<Unicode.Scalar>, to ids: inout [Int32], limit: Int) {
    guard word.count <= Self.maxScalarsPerWord else {
      ids.append(special.unknown)
      return
    }
    let firstPiece = ids.count
    var start = word.startIndex
    while start < word.endIndex {
      var end = word.endIndex
      var found: Int32?
      while start < end {
        var piece = String.UnicodeScalarView()
        if start > word.startIndex { piece.append(contentsOf: "##".unicodeScalars) }
        piece.append(contentsOf: word[start..<end])
        if let id = vocabulary[String(piece)] {
          found = id
          break
        }
        end -= 1
      }
      guard let id = found else {
        ids.removeSubrange(firstPiece...)
        ids.append(special.unknown)
        return
      }
      ids.append(id)
      start = end
    }
    if ids.count > limit { ids.removeSubrange(limit...) }
  }
}
