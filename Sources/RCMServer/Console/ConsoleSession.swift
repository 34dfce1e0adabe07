import Crypto
import Fluent
import Foundation
import Vapor

/// The console's session, kept by Vapor's sessions in the database (`_fluent_sessions`, so any
/// replica serves it) behind the cookie `rcm-session` (HttpOnly, SameSite=Strict, Secure when the
/// request came over TLS — ``ConsoleSecurityHeaders``). It holds the signed-in user's id, when it
/// was last used, and the CSRF token every form carries (`_csrf`). It ends after
/// `RCM_CONSOLE_IDLE_MINUTES` without a request, or at sign-out; abandoned sessions (a closed
/// browser, a sign-in page left open) are deleted at the next sign-in (``sweep(_:idleSeconds:now:)``).
enum ConsoleSession {
    static let cookieName = "rcm-session"
    static let csrfField = "_csrf"

    /// The sign-in page, coming back to `path` after (only a path of this site: never another host).
    static func signInPath(returningTo path: String) -> String {
        guard path.hasPrefix("/"), !path.hasPrefix("//"), path != "/sign-in" else { return "/sign-in" }
        let encoded = path.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["/", "-", "_"])) ?? "/"
        return "/sign-in?next=\(encoded)"
    }

    /// Where to go after signing in: `next` when it is a path of this site, else the dashboard.
    static func destination(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
        return next
    }

    /// The signed-in user, when the session has one and was used within `idleSeconds`; refreshes
    /// the session's last use. An idle session is ended.
    static func user(of request: Request, idleSeconds: Double, now: Date = Date()) -> UUID? {
        guard let text = request.session.data["user"], let user = UUID(uuidString: text) else { return nil }
        guard let seen = request.session.data["seen"].flatMap(Double.init),
            now.timeIntervalSince1970 - seen <= idleSeconds
        else {
            request.session.destroy()
            return nil
        }
        request.session.data["seen"] = String(Int(now.timeIntervalSince1970))
        return user
    }

    /// Starts a signed-in session for `user` under a new session id (the one used before signing in
    /// is deleted: no session fixation), with a new CSRF token.
    static func start(_ request: Request, user: UUID, now: Date = Date()) async throws {
        if let old = request.session.id {
            try await request.application.sessions.driver.deleteSession(old, for: request).get()
            request.session.id = nil
        }
        request.session.data = SessionData()
        request.session.data["user"] = user.uuidString
        request.session.data["seen"] = String(Int(now.timeIntervalSince1970))
        request.session.data["csrf"] = newToken()
    }

    /// The session's CSRF token, made when it has none (the sign-in form's session has one too,
    /// with the time it was made, so that an abandoned one is swept too).
    static func csrfToken(_ request: Request, now: Date = Date()) -> String {
        if let token = request.session.data["csrf"] { return token }
        let token = newToken()
        request.session.data["csrf"] = token
        if request.session.data["seen"] == nil { request.session.data["seen"] = String(Int(now.timeIntervalSince1970)) }
        return token
    }

    /// Deletes the sessions not used for `idleSeconds` (and any without a time of use): they
    /// could no longer sign anyone in. Reads every session (a billing office has tens).
    /// - Returns: how many were deleted.
    /// - Throws: the database's error.
    @discardableResult
    static func sweep(_ database: any Database, idleSeconds: Double, now: Date = Date()) async throws -> Int {
        let stale = try await SessionRecord.query(on: database).all().filter { record in
            guard let seen = record.data["seen"].flatMap(Double.init) else { return true }
            return now.timeIntervalSince1970 - seen > idleSeconds
        }.compactMap(\.id)
        guard !stale.isEmpty else { return 0 }
        try await SessionRecord.query(on: database).filter(\.$id ~~ stale).delete()
        return stale.count
    }

    /// ``hasValidCSRFToken(_:)`` once the form's body is read (up to ``RequestLimits/documentBody``):
    /// a middleware runs before the route collects a body that arrives in several reads (an upload).
    static func hasValidCSRFToken(collecting request: Request) async -> Bool {
        if request.body.data == nil {
            guard (try? await request.body.collect(max: RequestLimits.documentBody.value).get()) != nil else {
                return false
            }
        }
        return hasValidCSRFToken(request)
    }

    /// Whether the posted form's `_csrf` is the session's token (compared in constant time).
    static func hasValidCSRFToken(_ request: Request) -> Bool {
        guard let expected = request.session.data["csrf"],
            let given = try? request.content.get(String.self, at: csrfField)
        else { return false }
        let (a, b) = (Array(expected.utf8), Array(given.utf8))
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// 32 random bytes, base64url.
    private static func newToken() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
