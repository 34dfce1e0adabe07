import Vapor

/// A console request that failed, answered as a page (`error.leaf`) with the status the API would
/// answer and its reason in the biller's words; server errors are logged and shown without
/// internals, as ``ProblemDetailsMiddleware`` does for the API.
enum ConsoleErrorPage {
    struct Context: Encodable {
        let layout: ConsoleLayout
        let status: Int
        let message: String
        let signIn: Bool
    }

    static func response(for error: any Error, request: Request) async throws -> Response {
        let problem = ProblemDetailsMiddleware().problem(for: error, request: request)
        let status = HTTPResponseStatus(statusCode: problem.status)
        let context = Context(
            layout: ConsoleLayout(
                title: "\(problem.status) \(problem.title)", section: "error",
                user: request.principal?.actor, roles: request.principal?.roleList,
                csrf: request.hasSession ? ConsoleSession.csrfToken(request) : ""),
            status: problem.status,
            message: problem.detail ?? problem.title, signIn: problem.status == 401)
        let response = try await ConsoleController.render(request, "error", context, status: status)
        if DatabaseTransience.isTransient(error) {
            response.headers.replaceOrAdd(name: .retryAfter, value: "\(ProblemDetailsMiddleware.retryAfterSeconds)")
        }
        return response
    }
}
