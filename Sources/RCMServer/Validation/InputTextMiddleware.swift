import Foundation
import RCMCore
import Vapor

/// Refuses a request whose path or query string holds a control character (``RCMCore/InputText``,
/// as identifiers: path segments and query values are ids, codes and filters), answering 400 with
/// the segment or parameter named, before any route, authentication or audit entry sees it.
struct InputTextMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        var errors: [ProblemDetails.FieldError] = []
        for (index, segment) in request.url.path.split(separator: "/").enumerated() {
            let decoded = segment.removingPercentEncoding ?? String(segment)
            if let message = InputText.problem(in: decoded, as: .identifier) {
                errors.append(.init(field: "path[\(index)]", message: message))
            }
        }
        if let query = request.url.query {
            for pair in query.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                func decoded(_ text: Substring) -> String {
                    String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
                }
                let name = decoded(parts[0])
                let value = parts.count > 1 ? decoded(parts[1]) : ""
                if let message = InputText.problem(in: name + value, as: .identifier) {
                    errors.append(.init(field: "query.\(InputText.escaped(name))", message: message))
                }
            }
        }
        guard errors.isEmpty else { throw InputTextRefusal(status: .badRequest, errors: errors) }
        return try await next.respond(to: request)
    }
}
