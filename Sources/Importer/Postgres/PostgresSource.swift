// A postgres-nio connection for the importer: opened from a postgres:// URL (user, password from the URL or else
// PGPASSWORD, host or `?host=/socket/folder`, port, database), with catalog queries that return text cells and
// errors that carry the server's message. The password never appears in errors or logs.
// Refuses URLs without a host or user; TLS is not negotiated (loopback and trusted networks only).
import Foundation
import Logging
import NIOCore
import PostgresNIO

public struct PostgresError: Error, CustomStringConvertible {
  public var message: String
  public var description: String { "PostgreSQL: \(message)" }
}

struct PostgresSource {
  let connection: PostgresConnection
  let logger: Logger

  static func connect(url: String, logger: Logger) async throws -> PostgresSource {
    let configuration = try configuration(url: url)
    do {
      let connection = try await PostgresConnection.connect(
        configuration: configuration, id: 1, logger: logger)
      return PostgresSource(connection: connection, logger: logger)
    } catch {
      throw PostgresError(message: "cannot connect to \(redacted(url)): \(describe(error))")
    }
  }

  static func configuration(url: String) throws(PostgresError) -> PostgresConnection.Configuration {
    guard let components = URLComponents(string: url), let user = components.user, !user.isEmpty else {
      throw PostgresError(
        message: "\(redacted(url)): expected postgres://user[:password]@host[:port]/database")
    }
    let password = components.password ?? ProcessInfo.processInfo.environment["PGPASSWORD"]
    let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
    let database = path.isEmpty ? user : path
    let socketFolder = components.queryItems?.first { $0.name == "host" }?.value
    if let socketFolder, socketFolder.hasPrefix("/") {
      let port = components.port ?? 5432
      return .init(
        unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)", username: user, password: password,
        database: database)
    }
    guard let host = components.host, !host.isEmpty else {
      throw PostgresError(message: "\(redacted(url)): no host")
    }
    return .init(
      host: host, port: components.port ?? 5432, username: user, password: password, database: database,
      tls: .disable)
  }

  /// postgres://user:secret@host/db -> postgres://user:***@host/db
  static func redacted(_ url: String) -> String {
    guard var components = URLComponents(string: url), components.password != nil else { return url }
    components.password = "***"
    return components.string ?? "postgres://***"
  }

  /// The server's message where there is one (postgres-nio's own description hides it on purpose).
  static func describe(_ error: any Error) -> String {
    guard let error = error as? PSQLError else { return "\(error)" }
    if let message = error.serverInfo?[.message] { return message }
    if let underlying = error.underlying { return "\(error.code): \(underlying)" }
    return "\(error.code)"
  }

  /// Rows of text cells (nil for NULL) of a catalog query; every selected column must be text.
  func textRows(_ query: PostgresQuery) async throws -> [[String?]] {
    do {
      var rows: [[String?]] = []
      for try await row in try await connection.query(query, logger: logger) {
        rows.append(row.map { cell in cell.bytes.map { String(buffer: $0) } })
      }
      return rows
    } catch {
      throw PostgresError(message: "\(Self.describe(error)) (in: \(query.sql.prefix(80)))")
    }
  }

  /// Streams the rows of `query` (back-pressured by postgres-nio: bounded memory) into `body`.
  func forEachRow(_ query: PostgresQuery, _ body: (PostgresRow) throws -> Void) async throws {
    let rows: PostgresRowSequence
    do { rows = try await connection.query(query, logger: logger) } catch {
      throw PostgresError(message: "\(Self.describe(error)) (in: \(query.sql.prefix(80)))")
    }
    do {
      for try await row in rows { try body(row) }
    } catch let error as PSQLError {
      throw PostgresError(message: "\(Self.describe(error)) (in: \(query.sql.prefix(80)))")
    }
  }

  func close() async { try? await connection.close() }
}
