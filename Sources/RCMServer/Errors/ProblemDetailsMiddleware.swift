import Vapor

/// Turns every error thrown by a route into an RFC 9457 problem+json response. Replaces Vapor's
/// `ErrorMiddleware`. Passing database trouble (``DatabaseTransience``) is 503 with `Retry-After`;
/// other server errors are logged with the request id and answered without internals;
/// the headers an `AbortError` carries (`WWW-Authenticate`, `Retry-After`) are kept.
public struct ProblemDetailsMiddleware: AsyncMiddleware {
    public init() {}

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            return try response(for: error, request: request)
        }
    }

    /// The problem+json response for an error, with the headers it asks for
    /// (`WWW-Authenticate` on 401, `Retry-After` on 429).
    func response(for error: any Error, request: Request) throws -> Response {
        let response = try problem(for: error, request: request).response()
        if DatabaseTransience.isTransient(error) {
            response.headers.replaceOrAdd(name: .retryAfter, value: "\(Self.retryAfterSeconds)")
        }
        if let abort = error as? any AbortError {
            for (name, value) in abort.headers where response.headers.first(name: name) == nil {
                response.headers.add(name: name, value: value)
            }
        }
        return response
    }

    /// The status an error is answered with when the route did not choose one: an `AbortError`'s
    /// own, 503 for passing database trouble (``DatabaseTransience``), else 500.
    static func status(for error: any Error) -> HTTPResponseStatus {
        if let abort = error as? any AbortError { return abort.status }
        return DatabaseTransience.isTransient(error) ? .serviceUnavailable : .internalServerError
    }

    /// What `Retry-After` says when the database is away for a moment, in seconds.
    static let retryAfterSeconds = 2

    func problem(for error: any Error, request: Request) -> ProblemDetails {
        switch error {
        case let refusal as InputTextRefusal:
            return refusal.problem
        case let refusal as FieldRefusal:
            return refusal.problem
        case let decoding as DecodingError:
            // Checked before AbortError: Vapor makes DecodingError one, with Swift's internals in its text.
            let (field, message) = Self.describe(decoding)
            return ProblemDetails(
                status: .badRequest, detail: "the request body is not valid: \(field): \(message)",
                errors: [.init(field: field, message: message)])
        case let abort as any AbortError:
            if abort.status.code >= 500 {
                request.logger.error("request failed", metadata: ["error": "\(abort.reason)"])
            }
            return ProblemDetails(status: abort.status, detail: abort.reason)
        case _ where DatabaseTransience.isTransient(error):
            // The database restarting, a connection terminated, no connection in time: nothing was
            // done wrong, and the same request a moment later succeeds.
            request.logger.warning("database unavailable", metadata: ["error": "\(String(reflecting: error))"])
            return ProblemDetails(
                status: .serviceUnavailable,
                detail: "the database is unavailable for a moment; nothing was changed, try again shortly")
        default:
            request.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            return ProblemDetails(
                status: .internalServerError, detail: "an internal error occurred; it has been logged")
        }
    }

    /// The field (a JSON path such as `services[0].unit_price`) and what is wrong with it.
    static func describe(_ error: DecodingError) -> (String, String) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.reduce("") { text, key in
                if let index = key.intValue { return "\(text)[\(index)]" }
                return text.isEmpty ? key.stringValue : "\(text).\(key.stringValue)"
            }
        }
        switch error {
        case .keyNotFound(let key, let context): return (path(context.codingPath + [key]), "is required")
        case .valueNotFound(_, let context):
            return (path(context.codingPath).isEmpty ? "body" : path(context.codingPath), "is required")
        case .typeMismatch(let type, let context):
            let name =
                type == String.self
                ? "a string" : type == Int.self ? "an integer" : type == Bool.self ? "true or false" : "\(type)"
            return (path(context.codingPath).isEmpty ? "body" : path(context.codingPath), "must be \(name)")
        case .dataCorrupted(let context):
            return (
                path(context.codingPath).isEmpty ? "body" : path(context.codingPath), "is not valid JSON for this field"
            )
        @unknown default: return ("body", "cannot be read")
        }
    }
}
