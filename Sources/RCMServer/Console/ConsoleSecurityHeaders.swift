import Vapor

/// The headers every console answer carries: a Content-Security-Policy that allows this site's own
/// style sheet and script files and nothing inline or from elsewhere (`frame-ancestors 'none'`: no
/// framing), `Referrer-Policy: same-origin`, `X-Content-Type-Options: nosniff`, and
/// `Cache-Control: no-store` (pages hold patient data). The session cookie is marked `Secure` when
/// the request came over TLS (directly, or `X-Forwarded-Proto: https` from the ingress).
struct ConsoleSecurityHeaders: AsyncMiddleware {
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'; connect-src 'self'"

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            response = try await ConsoleErrorPage.response(for: error, request: request)
        }
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: Self.contentSecurityPolicy)
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        if Self.isSecure(request), var cookie = response.cookies[ConsoleSession.cookieName] {
            cookie.isSecure = true
            response.cookies[ConsoleSession.cookieName] = cookie
        }
        return response
    }

    static func isSecure(_ request: Request) -> Bool {
        request.url.scheme == "https"
            || request.headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https"
    }
}
