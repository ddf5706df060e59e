// A minimal libpq client: connect with a postgres:// URL (password from the URL or PGPASSWORD, as libpq does),
// run catalog queries with text parameters, and stream `COPY ... TO STDOUT` into a file. Errors carry the server's
// message; the URL's password never appears in them or in logs.
import CLibPQ
import Foundation

public struct PostgresError: Error, CustomStringConvertible {
  public var message: String
  public var description: String { "PostgreSQL: \(message)" }
}

final class PostgresConnection {
  private let connection: OpaquePointer

  init(url: String) throws(PostgresError) {
    guard let connection = PQconnectdb(url) else { throw PostgresError(message: "out of memory") }
    self.connection = connection
    guard PQstatus(connection) == CONNECTION_OK else {
      throw PostgresError(message: "cannot connect to \(Self.redacted(url)): \(lastError)")
    }
  }

  deinit { PQfinish(connection) }

  private var lastError: String {
    String(cString: PQerrorMessage(connection)).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// postgres://user:secret@host/db -> postgres://user:***@host/db
  static func redacted(_ url: String) -> String {
    guard var components = URLComponents(string: url), components.password != nil else { return url }
    components.password = "***"
    return components.string ?? "postgres://***"
  }

  /// Rows of text cells (nil for NULL) of a query with text parameters $1, $2, ...
  func query(_ sql: String, _ parameters: [String] = []) throws(PostgresError) -> [[String?]] {
    let cStrings = parameters.map { strdup($0) }
    defer { cStrings.forEach { free($0) } }
    var pointers: [UnsafePointer<CChar>?] = cStrings.map { $0.map { UnsafePointer($0) } }
    let result = pointers.withUnsafeMutableBufferPointer {
      PQexecParams(connection, sql, Int32(clamping: parameters.count), nil, $0.baseAddress, nil, nil, 0)
    }
    defer { PQclear(result) }
    guard let result, PQresultStatus(result) == PGRES_TUPLES_OK || PQresultStatus(result) == PGRES_COMMAND_OK
    else {
      throw PostgresError(message: "\(lastError) (in: \(sql.prefix(80)))")
    }
    let rows = Int(PQntuples(result))
    let columns = Int(PQnfields(result))
    return (0..<rows).map { row in
      (0..<columns).map { column in
        PQgetisnull(result, Int32(truncatingIfNeeded: row), Int32(truncatingIfNeeded: column)) == 1
          ? nil
          : String(
            cString: PQgetvalue(result, Int32(truncatingIfNeeded: row), Int32(truncatingIfNeeded: column)))
      }
    }
  }

  /// Runs `COPY ... TO STDOUT` and appends its output to `handle`; returns the bytes written.
  func copyOut(_ sql: String, to handle: FileHandle) throws -> Int {
    let start = PQexec(connection, sql)
    let status = PQresultStatus(start)
    PQclear(start)
    guard status == PGRES_COPY_OUT else {
      throw PostgresError(message: "\(lastError) (in: \(sql.prefix(80)))")
    }
    // COPY hands out one row per call: gather them into large writes.
    var total = 0
    var pending: [UInt8] = []
    pending.reserveCapacity(1 << 20)
    while true {
      var buffer: UnsafeMutablePointer<CChar>? = nil
      let count = PQgetCopyData(connection, &buffer, 0)
      if count > 0, let buffer {
        buffer.withMemoryRebound(to: UInt8.self, capacity: Int(count)) {
          pending.append(contentsOf: UnsafeBufferPointer(start: $0, count: Int(count)))
        }
        PQfreemem(buffer)
        total += Int(count)
        if pending.count >= 1 << 20 {
          handle.write(Data(pending))
          pending.removeAll(keepingCapacity: true)
        }
        continue
      }
      if count == -2 { throw PostgresError(message: lastError) }
      break
    }
    handle.write(Data(pending))
    let end = PQgetResult(connection)
    defer {
      PQclear(end)
      while let extra = PQgetResult(connection) { PQclear(extra) }
    }
    guard PQresultStatus(end) == PGRES_COMMAND_OK else { throw PostgresError(message: lastError) }
    return total
  }
}
