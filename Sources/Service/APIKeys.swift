// Bearer-token auth: the keys come from `TRIBUTARY_API_KEYS` (comma-separated). Every key is compared in
// constant time (no early exit on the first differing byte, nor on the first matching key), and neither the
// keys nor the presented token are ever logged.
// Refuses: requests without `Authorization: Bearer <key>` when keys are set (401, with WWW-Authenticate).
import Foundation
import HTTPTypes
import Hummingbird

public struct APIKeys: Sendable {
  let keys: [[UInt8]]

  public init(_ keys: [String]) {
    self.keys = keys.map { Array($0.utf8) }.filter { !$0.isEmpty }
  }

  /// Keys from `TRIBUTARY_API_KEYS`; none (auth off) when unset or empty.
  public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
    -> APIKeys
  {
    APIKeys(
      (environment["TRIBUTARY_API_KEYS"] ?? "").split(separator: ",").map {
        $0.trimmingCharacters(in: .whitespaces)
      })
  }

  public var isEnabled: Bool { !keys.isEmpty }

  /// True when `token` equals one of the keys; the time taken depends only on the lengths involved.
  public func accepts(_ token: [UInt8]) -> Bool {
    var matched: UInt8 = 0
    for key in keys { matched |= Self.constantTimeEqual(key, token) }
    return matched == 1
  }

  /// 1 when equal, 0 otherwise, touching every byte of the longer input.
  static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> UInt8 {
    var difference: UInt = a.count == b.count ? 0 : 1
    let length = max(a.count, b.count)
    for index in 0..<length {
      let x = index < a.count ? a[index] : 0
      let y = index < b.count ? b[index] : 0
      difference |= UInt(x ^ y)
    }
    return difference == 0 ? 1 : 0
  }
}

/// Checks the bearer token on every route it wraps.
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
  let keys: APIKeys

  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
    async throws -> Response
  {
    guard keys.isEnabled else { return try await next(request, context) }
    let header = request.headers[.authorization] ?? ""
    let prefix = "Bearer "
    guard header.hasPrefix(prefix), keys.accepts(Array(header.utf8.dropFirst(prefix.utf8.count))) else {
      var response = try APIError(
        status: .unauthorized, field: "Authorization", message: "a valid bearer token is required"
      ).response()
      response.headers[.wwwAuthenticate] = "Bearer"
      return response
    }
    return try await next(request, context)
  }
}
