import Vapor

/// Turns every error thrown by a route into an RFC 9457 problem+json response. Replaces Vapor's
/// `ErrorMiddleware`. Server errors are logged with the request id and answered without internals;
/// the headers an `AbortError` carries (`WWW-Authenticate`, `Retry-After`) are kept.
public struct ProblemDetailsMiddleware: AsyncMiddleware {
    public init() {}

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let response = try problem(for: error, request: request).response()
            // Headers the error asks for (WWW-Authenticate on 401, Retry-After on 429).
            if let abort = error as? any AbortError {
                for (name, value) in abort.headers where response.headers.first(name: name) == nil {
                    response.headers.add(name: name, value: value)
                }
            }
            return response
        }
    }

    func problem(for error: any Error, request: Request) -> ProblemDetails {
        switch error {
        case let abort as any AbortError:
            if abort.status.code >= 500 {
                request.logger.error("request failed", metadata: ["error": "\(abort.reason)"])
            }
            return ProblemDetails(status: abort.status, detail: abort.reason)
        case let decoding as DecodingError:
            return ProblemDetails(
                status: .badRequest, detail: "the request body is not valid: \(decoding.localizedDescription)")
        default:
            request.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            return ProblemDetails(
                status: .internalServerError, detail: "an internal error occurred; it has been logged")
        }
    }
}
