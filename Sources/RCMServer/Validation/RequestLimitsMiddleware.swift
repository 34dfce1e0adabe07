import Vapor

/// Answers 414 or 431 (problem+json) for a request over ``RequestLimits``, before any route,
/// authentication or audit entry sees it.
struct RequestLimitsMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let urlBytes = request.url.string.utf8.count
        if urlBytes > RequestLimits.maximumURLBytes {
            throw Abort(
                .uriTooLong,
                reason: "the URL is \(urlBytes) bytes long; at most \(RequestLimits.maximumURLBytes) are accepted")
        }
        var total = 0
        for (name, value) in request.headers {
            let bytes = name.utf8.count + value.utf8.count
            total += bytes
            if bytes > RequestLimits.maximumHeaderFieldBytes {
                throw Abort(
                    .requestHeaderFieldsTooLarge,
                    reason: "the header \(name) is \(bytes) bytes long; at most "
                        + "\(RequestLimits.maximumHeaderFieldBytes) are accepted")
            }
        }
        if total > RequestLimits.maximumHeaderBytes {
            throw Abort(
                .requestHeaderFieldsTooLarge,
                reason: "the headers are \(total) bytes long together; at most \(RequestLimits.maximumHeaderBytes) "
                    + "are accepted")
        }
        return try await next.respond(to: request)
    }
}
