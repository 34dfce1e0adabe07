import Foundation
import Vapor

@testable import RCMServer

/// Users and bearer headers for tests of protected routes (bcrypt cost 4: fast, and still real bcrypt).
enum TestSecurity {
    static let password = "correct horse battery"

    /// Boots `app` (which puts its routes behind the permission table) and returns a bearer header
    /// for a new user holding `roles`.
    static func headers(_ app: Application, _ roles: Role..., email: String? = nil) async throws -> HTTPHeaders {
        try await app.asyncBoot()
        let security = try require(app.security, "the app did not boot its security")
        let user = try await UserDirectory(database: app.db, bcryptCost: 4).create(
            email: email ?? "\(roles.map(\.rawValue).joined(separator: "-"))-\(UUID().uuidString.prefix(8))@rcm.test",
            roles: roles, password: password)
        let principal = try require(try await security.users.principal(id: user.id))
        var headers = HTTPHeaders()
        headers.bearerAuthorization = BearerAuthorization(token: try await security.tokens.issue(for: principal))
        return headers
    }
}

/// `#require` outside a test body: throws instead of recording.
func require<T>(_ value: T?, _ message: String = "missing value") throws -> T {
    guard let value else { throw TestSetupError(message) }
    return value
}
