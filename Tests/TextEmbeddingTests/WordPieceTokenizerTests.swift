// The WordPiece tokenizer: exact parity with Hugging Face `tokenizers` on the reference strings, plus rules
// checked on a tiny hand-made vocabulary.
import Foundation
import Testing

@testable import TextEmbedding

@Test func tokenizerMatchesReferenceIDsExactly() throws {
  let fixtures = try ReferenceFixtures.load()
  let tokenizer = try WordPieceTokenizer(
    vocabularyFile: ModelFiles.locate().vocabulary, maxLength: fixtures.maxLength)
  #expect(tokenizer.vocabularySize == 30522)
  #expect(fixtures.cases.count >= 40)
  for reference in fixtures.cases {
    #expect(tokenizer.encode(reference.text) == reference.ids, "\(reference.text.debugDescription)")
  }
}

private func tinyTokenizer(maxLength: Int = 256) throws -> WordPieceTokenizer {
  let tokens = [
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "##affable", "a", "##a", "hello",
    ",", "!", "cafe", "x", "##y",
  ]
  return try WordPieceTokenizer(tokens: tokens, maxLength: maxLength)
}

@Test func greedyLongestMatchWithContinuations() throws {
  let tokenizer = try tinyTokenizer()
  // "unaffable" = un + ##affable (longest), not un + ##aff + ##able.
  #expect(tokenizer.encode("unaffable") == [2, 5, 8, 3])
  #expect(tokenizer.encode("Hello, UNAFFABLE!") == [2, 11, 12, 5, 8, 13, 3])
  // An unknown piece anywhere makes the whole word [UNK].
  #expect(tokenizer.encode("unaffablez hello") == [2, 1, 11, 3])
  #expect(tokenizer.encode("") == [2, 3])
  #expect(tokenizer.encode(" \t\n ") == [2, 3])
}

@Test func accentsControlsAndSpecials() throws {
  let tokenizer = try tinyTokenizer()
  #expect(tokenizer.encode("Café") == [2, 14, 3])
  #expect(tokenizer.encode("ca\u{0301}fe\u{0007}") == [2, 14, 3])
  #expect(tokenizer.encode("x\u{200B}y") == [2, 15, 16, 3])
  #expect(tokenizer.encode("[MASK]hello[SEP] [mask]") == [2, 4, 11, 3, 1, 1, 1, 3])  // "[mask]" is not special: [ mask ]
}

@Test func wordsOverOneHundredScalarsAreUnknown() throws {
  let tokenizer = try tinyTokenizer()
  #expect(
    tokenizer.encode(String(repeating: "a", count: 100)) == [2, 9] + Array(repeating: 10, count: 99) + [3])
  #expect(tokenizer.encode(String(repeating: "a", count: 101)) == [2, 1, 3])
}

@Test func truncationCountsTheSpecialTokens() throws {
  let tokenizer = try tinyTokenizer(maxLength: 5)
  #expect(tokenizer.encode("hello hello hello hello hello") == [2, 11, 11, 11, 3])
  #expect(tokenizer.encode("unaffable unaffable") == [2, 5, 8, 5, 3])
  #expect(tokenizer.encode("[MASK] [MASK] [MASK] [MASK]") == [2, 4, 4, 4, 3])
}

@Test func vocabularyWithoutSpecialTokensIsRejected() {
  #expect(throws: TextEmbeddingError.self) { try WordPieceTokenizer(tokens: ["[PAD]", "a"]) }
}
