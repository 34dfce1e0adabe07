import Foundation
import Vapor

/// One sign-in check for the API's `POST /api/v1/auth/login` and the console's sign-in form: failed
/// sign-ins are throttled from the audit trail (so across replicas) — 5 per account or 20 per IP
/// address in 15 minutes answer 429 with `Retry-After` — and a wrong password and an unknown
/// e-mail get the same 401 after the same bcrypt work. Refusals and failures are audited here
/// (action `auth.login`); the caller records the success in one change with what it grants (a
/// token pair, a session).
struct SignIn {
    static let window: TimeInterval = 15 * 60
    static let failuresPerAccount = 5
    static let failuresPerAddress = 20

    let security: SecurityServices

    /// Who signs in, as audited: `user:<e-mail>`.
    static func actor(email: String) -> String {
        "user:" + String(email.trimmingCharacters(in: .whitespaces).lowercased().prefix(254))
    }

    /// The principal of a right e-mail and password.
    /// - Throws: `Abort(.tooManyRequests)` with `Retry-After` when throttled; `Abort(.unauthorized)`
    ///   for a wrong e-mail or password (or a disabled user); the database's errors.
    func authenticate(email: String, password: String, request: Request) async throws -> Principal {
        let attempted = Self.actor(email: email)
        let address = request.remoteAddress?.ipAddress
        let since = Date().addingTimeInterval(-Self.window)
        let byAccount = try await security.audit.count(
            action: "auth.login", outcome: "failure", since: since, actor: attempted)
        var byAddress = 0
        if let address {
            byAddress = try await security.audit.count(
                action: "auth.login", outcome: "failure", since: since, ipAddress: address)
        }
        guard byAccount < Self.failuresPerAccount, byAddress < Self.failuresPerAddress else {
            try await record(attempted, "denied", 429, request: request)
            throw Abort(
                .tooManyRequests, headers: ["Retry-After": "\(Int(Self.window))"],
                reason: "too many failed sign-ins: try again in 15 minutes")
        }
        guard let principal = try await security.users.authenticate(email: email, password: password) else {
            try await record(attempted, "failure", 401, request: request)
            throw Abort(.unauthorized, reason: "invalid e-mail or password")
        }
        return principal
    }

    /// Appends the sign-in's entry (`auth.login`), in the caller's change when one is open.
    func record(_ actor: String, _ outcome: String, _ status: Int, role: String? = nil, request: Request) async throws {
        try await security.audit.append(
            AuditTrail.Record(
                actor: actor, role: role, action: "auth.login", resourceType: "session", outcome: outcome,
                status: status, ipAddress: request.remoteAddress?.ipAddress,
                userAgent: request.headers.first(name: .userAgent), requestID: request.id))
    }
}
