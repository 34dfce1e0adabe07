import Vapor

/// Accepts a caller's `X-Request-ID` (1–128 characters of `A–Z a–z 0–9 . _ : -`) or lets Vapor
/// create one (a UUID), and returns it on every response, errors included. Vapor puts the id on
/// the request's logger as `request-id`, so every log line of the request carries it. A malformed
/// id is refused with 400 rather than written into the logs.
public struct RequestIDMiddleware: AsyncMiddleware {
    public init() {}

    static let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-")

    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let given = request.headers.first(name: .xRequestId),
            given.isEmpty || given.count > 128 || !given.allSatisfy(Self.allowed.contains)
        {
            let response = try ProblemDetails(
                status: .badRequest,
                detail: "X-Request-ID must be 1–128 characters of letters, digits and . _ : -"
            ).response()
            // The caller's id is not echoed (it is what is wrong): a fresh one names this answer.
            let fresh = UUID().uuidString
            response.headers.replaceOrAdd(name: .xRequestId, value: fresh)
            request.logger.notice("refused a malformed X-Request-ID", metadata: ["request-id": "\(fresh)"])
            return response
        }
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            response = try ProblemDetailsMiddleware().response(for: error, request: request)
        }
        response.headers.replaceOrAdd(name: .xRequestId, value: request.id)
        return response
    }
}
