// The JSON fields of a submitted job that no input type knows. The decoder ignores unknown keys, so a misspelt
// field (`seed` for `seeds`) or a retired one (`seed_rows`) would otherwise be dropped silently and the job run
// without it; the service refuses them instead, naming each by its path.
import Foundation

extension JobSpec {
  /// Paths of the fields in `json` (the decoded body) that JobSpec and its inputs do not have, in sorted order.
  public static func unknownFields(in json: Any) -> [String] {
    guard let object = json as? [String: Any] else { return [] }
    var unknown = unknown(object, known: CodingKeys.self, path: "")
    if let embed = object["embed"] as? [String: Any] {
      unknown += Self.unknown(embed, known: EmbedInput.CodingKeys.self, path: "embed.")
    }
    if let predict = object["predict"] as? [String: Any] {
      unknown += Self.unknown(predict, known: PredictInput.CodingKeys.self, path: "predict.")
      for (index, seed) in (predict["seeds"] as? [Any] ?? []).enumerated() {
        guard let seed = seed as? [String: Any] else { continue }
        unknown += Self.unknown(seed, known: SeedInput.CodingKeys.self, path: "predict.seeds[\(index)].")
      }
    }
    return unknown.sorted()
  }

  private static func unknown<Keys: CodingKey & CaseIterable>(
    _ object: [String: Any], known: Keys.Type, path: String
  ) -> [String] {
    let names = Set(Keys.allCases.map(\.stringValue))
    return object.keys.filter { !names.contains($0) }.map { path + $0 }
  }
}
