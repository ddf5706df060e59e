// An RFC 4180 record reader over bytes in memory (a mapped file): fields separated by a delimiter, records by LF or
// CRLF, fields optionally quoted with '"' and '""' for a quote inside; quoted fields may hold delimiters and line
// breaks. Fields are returned as byte ranges into the input; only quoted fields with doubled quotes are copied
// (unescaped) into a scratch buffer. A UTF-8 byte-order mark before the header is skipped.
// Refuses (typed error with file and line): an unterminated quoted field, and bytes after a closing quote other than
// a delimiter or a line break. A stray quote inside an unquoted field is kept as is, like most readers do.

public struct CSVError: Error, CustomStringConvertible, Equatable {
  public var file: String
  public var line: Int
  public var message: String
  public var description: String { "\(file):\(line): \(message)" }
}

/// Where one field's bytes are: `start..<end` of the input, or of the scratch buffer when `inScratch`.
struct CSVField {
  var start: Int
  var end: Int
  var inScratch: Bool
}

struct CSVRecordReader {
  let bytes: UnsafeBufferPointer<UInt8>
  let delimiter: UInt8
  let file: String
  private(set) var position = 0
  /// 1-based line of the record most recently returned.
  private(set) var line = 0
  private var nextLine = 1

  static let quote = UInt8(ascii: "\"")
  static let newline = UInt8(ascii: "\n")
  static let carriageReturn = UInt8(ascii: "\r")

  init(bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8 = UInt8(ascii: ","), file: String) {
    self.bytes = bytes
    self.delimiter = delimiter
    self.file = file
    if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
  }

  var atEnd: Bool { position >= bytes.count }

  /// Reads the next record into `fields` (cleared first); false at the end of the input. Unescaped quoted fields
  /// are appended to `scratch`, which the caller clears when it no longer needs earlier records.
  mutating func next(into fields: inout [CSVField], scratch: inout [UInt8]) throws(CSVError) -> Bool {
    fields.removeAll(keepingCapacity: true)
    guard position < bytes.count else { return false }
    line = nextLine
    while true {
      let field: CSVField
      if bytes[position] == Self.quote {
        field = try quotedField(scratch: &scratch)
      } else {
        let start = position
        while position < bytes.count, bytes[position] != delimiter, bytes[position] != Self.newline {
          position += 1
        }
        var end = position
        if end > start, bytes[end - 1] == Self.carriageReturn,
          position == bytes.count || bytes[position] == Self.newline
        {
          end -= 1
        }
        field = CSVField(start: start, end: end, inScratch: false)
      }
      fields.append(field)
      guard position < bytes.count else { return true }
      if bytes[position] == delimiter {
        position += 1
        if position == bytes.count {
          fields.append(CSVField(start: position, end: position, inScratch: false))
        }
        continue
      }
      position += 1  // the newline
      nextLine += 1
      return true
    }
  }

  private mutating func quotedField(scratch: inout [UInt8]) throws(CSVError) -> CSVField {
    let openedAt = nextLine
    position += 1
    let start = position
    var escaped = false
    while true {
      guard position < bytes.count else {
        throw CSVError(file: file, line: openedAt, message: "quoted field is never closed")
      }
      let byte = bytes[position]
      if byte == Self.quote {
        if position + 1 < bytes.count, bytes[position + 1] == Self.quote {
          escaped = true
          position += 2
          continue
        }
        break
      }
      if byte == Self.newline { nextLine += 1 }
      position += 1
    }
    let end = position
    position += 1  // the closing quote
    if position < bytes.count, bytes[position] == Self.carriageReturn { position += 1 }
    if position < bytes.count, bytes[position] != delimiter, bytes[position] != Self.newline {
      throw CSVError(
        file: file, line: nextLine,
        message: "unexpected '\(Character(Unicode.Scalar(bytes[position])))' after a closing quote")
    }
    guard escaped else { return CSVField(start: start, end: end, inScratch: false) }
    let scratchStart = scratch.count
    var index = start
    while index < end {
      scratch.append(bytes[index])
      index += bytes[index] == Self.quote ? 2 : 1
    }
    return CSVField(start: scratchStart, end: scratch.count, inScratch: true)
  }
}
