// Errors as the API returns them: a status and a JSON body `{"error": {"field": ..., "message": ...}}` naming
// the offending field where there is one.
import Foundation
import HTTPTypes
import Hummingbird
import JobQueue

struct APIError: Error, Sendable {
  var status: HTTPResponse.Status
  var field: String?
  var message: String

  init(status: HTTPResponse.Status, field: String? = nil, message: String) {
    self.status = status
    self.field = field
    self.message = message
  }

  init(_ error: JobSpecError) {
    self.init(status: .unprocessableContent, field: error.field, message: error.message)
  }

  struct Body: Encodable {
    struct Detail: Encodable {
      var field: String?
      var message: String
    }
    var error: Detail
  }

  func response() throws -> Response {
    let data = try JSONEncoder().encode(Body(error: .init(field: field, message: message)))
    return Response(
      status: status, headers: [.contentType: "application/json"],
      body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }
}

/// Turns thrown errors into JSON error responses (validation errors keep their field).
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
    async throws -> Response
  {
    do {
      return try await next(request, context)
    } catch let error as APIError {
      return try error.response()
    } catch let error as JobSpecError {
      return try APIError(error).response()
    } catch let error as HTTPError {
      return try APIError(status: error.status, message: error.body ?? "\(error.status)").response()
    }
  }
}

/// Decoding errors as a field path and a plain message.
enum DecodingMessages {
  static func describe(_ error: any Error) -> APIError {
    guard let error = error as? DecodingError else {
      return APIError(status: .badRequest, message: "the body is not valid JSON")
    }
    func path(_ keys: [any CodingKey]) -> String {
      keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        .replacingOccurrences(of: ".[", with: "[")
    }
    switch error {
    case .keyNotFound(let key, let context):
      return APIError(
        status: .badRequest, field: path(context.codingPath + [key]), message: "is required")
    case .typeMismatch(_, let context), .valueNotFound(_, let context):
      return APIError(status: .badRequest, field: path(context.codingPath), message: "has the wrong type")
    case .dataCorrupted(let context):
      let field = path(context.codingPath)
      return APIError(
        status: .badRequest, field: field.isEmpty ? nil : field,
        message: field.isEmpty ? "the body is not valid JSON" : "has an invalid value")
    @unknown default:
      return APIError(status: .badRequest, message: "the body could not be decoded")
    }
  }
}
