// BERT's text normalisation (uncased), as Hugging Face `tokenizers`' BertNormalizer + BertPreTokenizer do it:
//   1. clean: drop NUL, U+FFFD and "control" scalars (Cc, Cf, Co, Cs but not \t \n \r); whitespace becomes ' '
//   2. put spaces around CJK ideographs (the ranges of `isChineseCharacter`)
//   3. strip accents: NFD, then drop nonspacing marks (Mn)
//   4. lower-case each scalar (full mapping, no context: Σ is always σ)
//   5. split into words on whitespace and isolate each punctuation scalar (ASCII punctuation or Unicode P*)
// Unassigned code points (Cn) are kept, as the reference does. Scalars assigned after the Unicode version of the
// reference's tables could be classified differently; none of the fixture strings use them.
// Refuses: nothing; every string normalises (possibly to no words).
import Foundation

enum BertNormalizer {
  /// The normalised scalars of `text` (steps 1-4).
  static func normalize(_ text: Substring.UnicodeScalarView) -> [Unicode.Scalar] {
    var cleaned: [Unicode.Scalar] = []
    cleaned.reserveCapacity(text.count + 8)
    var isASCII = true
    for scalar in text {
      if scalar.value == 0 || scalar.value == 0xFFFD || isControl(scalar) { continue }
      if isWhitespace(scalar) {
        cleaned.append(" ")
      } else if isChineseCharacter(scalar) {
        cleaned.append(" ")
        cleaned.append(scalar)
        cleaned.append(" ")
      } else {
        isASCII = isASCII && scalar.isASCII
        cleaned.append(scalar)
      }
    }
    if isASCII { return cleaned.map(asciiLowercased) }
    return lowercased(strippingAccents(cleaned))
  }

  /// Word ranges of normalised scalars (step 5): whitespace separates, punctuation stands alone.
  static func words(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
    var words: [Range<Int>] = []
    var start = 0
    for (index, scalar) in scalars.enumerated() {
      if isWhitespace(scalar) {
        if start < index { words.append(start..<index) }
        start = index + 1
      } else if isPunctuation(scalar) {
        if start < index { words.append(start..<index) }
        words.append(index..<(index + 1))
        start = index + 1
      }
    }
    if start < scalars.count { words.append(start..<scalars.count) }
    return words
  }

  private static func asciiLowercased(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    guard scalar.value >= 0x41, scalar.value <= 0x5A, let lower = Unicode.Scalar(scalar.value + 0x20) else {
      return scalar
    }
    return lower
  }

  private static func strippingAccents(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
    var text = String.UnicodeScalarView()
    text.append(contentsOf: scalars)
    let decomposed = String(text).decomposedStringWithCanonicalMapping
    return decomposed.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark }
  }

  private static func lowercased(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
    var out: [Unicode.Scalar] = []
    out.reserveCapacity(scalars.count)
    for scalar in scalars {
      if scalar.isASCII {
        out.append(asciiLowercased(scalar))
      } else {
        out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
      }
    }
    return out
  }

  static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x20, 0x09, 0x0A, 0x0D: return true
    case 0..<0x80: return false
    default: return scalar.properties.isWhitespace
    }
  }

  /// Cc, Cf, Co and Cs, except the \t \n \r that count as whitespace.
  static func isControl(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09, 0x0A, 0x0D: return false
    case 0x20..<0x7F: return false
    default:
      switch scalar.properties.generalCategory {
      case .control, .format, .privateUse, .surrogate: return true
      default: return false
      }
    }
  }

  /// ASCII punctuation (which includes $ + < = > ^ ` | ~) or a Unicode punctuation category.
  static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 33...47, 58...64, 91...96, 123...126: return true
    case 0..<0x80: return false
    default:
      switch scalar.properties.generalCategory {
      case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
        .initialPunctuation, .finalPunctuation, .otherPunctuation:
        return true
      default: return false
      }
    }
  }

  /// The CJK Unified Ideographs blocks BERT splits into single characters (Hangul and kana are not among them).
  static func isChineseCharacter(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
      0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
      return true
    default: return false
    }
  }
}
