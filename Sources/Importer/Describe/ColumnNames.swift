// What a column's or table's name suggests: its words (camelCase, snake_case, kebab-case split), whether it names
// an identifier, and the singular forms of a table name, for the describe heuristics.
enum ColumnNames {
  /// Lowercase words: "OwnerUserId" -> [owner, user, id], "time_hour" -> [time, hour].
  static func words(_ name: String) -> [String] {
    var words: [String] = []
    var current = ""
    var previousWasLower = false
    for character in name {
      if character == "_" || character == "-" || character == " " || character == "." {
        if !current.isEmpty { words.append(current) }
        current = ""
        previousWasLower = false
        continue
      }
      if character.isUppercase && previousWasLower && !current.isEmpty {
        words.append(current)
        current = ""
      }
      current += character.lowercased()
      previousWasLower = character.isLowercase || character.isNumber
    }
    if !current.isEmpty { words.append(current) }
    return words
  }

  /// Lowercase letters and digits only: "Owner_User-ID" -> "owneruserid".
  static func normalized(_ name: String) -> String {
    String(name.lowercased().filter { $0.isLetter || $0.isNumber })
  }

  /// Names an identifier: "id", "userId", "user_id", "UserID", "uuid", "key", "o_custkey".
  static func isIdentifierLike(_ name: String) -> Bool {
    guard let last = words(name).last else { return false }
    return last == "id" || last == "uuid" || last == "key" || last == "guid"
      || (last.count > 3 && last.hasSuffix("key"))
      || (normalized(name).hasSuffix("id") && name.hasSuffix("ID"))
  }

  /// The name without a short table prefix ("o_custkey" -> "custkey", as in TPC-H), normalized.
  static func stem(_ name: String) -> String {
    if let underscore = name.firstIndex(of: "_"), name.distance(from: name.startIndex, to: underscore) <= 3,
      name[..<underscore].allSatisfy(\.isLetter), name.index(after: underscore) < name.endIndex
    {
      return normalized(String(name[name.index(after: underscore)...]))
    }
    return normalized(name)
  }

  /// Names a position in a sequence ("stop", "l_linenumber", "seq"): part of a composite key with a parent id.
  static func isCounterLike(_ name: String) -> Bool {
    words(name).contains { word in
      ["number", "num", "no", "seq", "sequence", "stop", "line", "index", "idx", "step", "ordinal"].contains {
        word == $0 || (word.count > $0.count + 2 && word.hasSuffix($0))
      }
    }
  }

  /// Singular candidates of a table name: "races" -> [races, race], "movies" -> [movies, movie, movy].
  static func singulars(_ table: String) -> [String] {
    let name = normalized(table)
    var forms = [name]
    let irregular = [
      "people": "person", "children": "child", "men": "man", "women": "woman", "mice": "mouse",
    ]
    if let singular = irregular[name] { forms.append(singular) }
    if name.hasSuffix("ies") { forms.append(String(name.dropLast(3)) + "y") }
    if name.hasSuffix("es") { forms.append(String(name.dropLast(2))) }
    if name.hasSuffix("s") && !name.hasSuffix("ss") && !name.hasSuffix("us") {
      forms.append(String(name.dropLast()))
    }
    return forms.filter { $0.count >= 3 }
  }

  static func hasAnyWord(_ name: String, _ vocabulary: Set<String>) -> Bool {
    words(name).contains { vocabulary.contains($0) }
  }

  /// Words of categorical attributes (a closed set of labels).
  static let categoricalWords: Set<String> = [
    "type", "types", "status", "state", "code", "country", "nationality", "location", "city", "region",
    "category",
    "class", "kind", "gender", "sex", "level", "grade", "zone", "tzone", "group", "mode", "manufacturer",
    "model",
    "brand", "engine", "currency", "language", "lang", "color", "colour",
  ]

  /// Words of free-text attributes.
  static let textWords: Set<String> = [
    "name", "names", "title", "text", "body", "description", "desc", "comment", "comments", "about", "tag",
    "tags",
    "note", "notes", "message", "summary", "content", "review", "bio", "surname", "forename", "genres",
    "abstract",
    "address",
  ]

  /// Words of a row's own time (when it became known).
  static let timeWords: Set<String> = [
    "date", "time", "timestamp", "created", "creation", "at", "seen", "ts", "datetime", "when", "posted",
    "event",
    "start", "hour", "day", "occurred", "submitted", "inserted", "joined", "registered", "signup", "first",
  ]

  /// Words of times that change after the row is written: not when the row became known.
  static let revisedTimeWords: Set<String> = [
    "last", "updated", "modified", "changed", "end", "ended", "latest",
  ]

  /// Words of times that describe an entity rather than when its row became known.
  static let staticTimeWords: Set<String> = [
    "dob", "birth", "birthday", "born", "birthdate", "expiry", "expires",
  ]
}
