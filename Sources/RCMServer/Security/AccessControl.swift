import Fluent
import Foundation
import Vapor

/// What protected routes need: access tokens, users, and the audit trail.
public struct SecurityServices: Sendable {
    public let tokens: AccessTokens
    public let users: UserDirectory
    public let audit: AuditTrail

    public init(tokens: AccessTokens, users: UserDirectory, audit: AuditTrail) {
        self.tokens = tokens
        self.users = users
        self.audit = audit
    }
}

/// Puts every route behind ``AccessPolicy`` when the application boots, so that a route
/// registered anywhere is protected by default: open routes stay open, the HCX callbacks keep
/// their gateway JWT check, and every other route needs a bearer access token or API key of a
/// user whose roles the table allows — a route missing from the table answers 403 to everyone.
struct AccessControlLifecycle: LifecycleHandler {
    let configuration: RCMConfiguration
    let bcryptCost: Int

    func willBoot(_ app: Application) throws {
        let key = try SigningKeySource.key(
            configured: configuration.jwtSigningKey, keysDirectory: configuration.keysDirectory)
        let security = SecurityServices(
            tokens: AccessTokens(signingKey: key), users: UserDirectory(database: app.db, bcryptCost: bcryptCost),
            audit: AuditTrail(database: app.db, hmacKey: configuration.auditHMACKey))
        app.security = security
        let hcxPrefix = configuration.hcxVersionPrefix.split(separator: "/").first.map(String.init)
        for route in app.routes.all where route.userInfo[Self.protectedKey] == nil {
            route.userInfo[Self.protectedKey] = true
            let key = AccessPolicy.key(method: route.method, path: route.path)
            if AccessPolicy.open.contains(key) { continue }
            if let hcxPrefix, route.path.first?.description == hcxPrefix { continue }
            route.responder = AccessControlMiddleware(rule: AccessPolicy.rule(for: route), security: security)
                .makeResponder(chainingTo: route.responder)
        }
    }

    static let protectedKey = "rcm.access-control"
}

extension Application {
    private struct SecurityKey: StorageKey { typealias Value = SecurityServices }

    /// The security services, once the application has booted.
    public var security: SecurityServices? {
        get { storage[SecurityKey.self] }
        set { storage[SecurityKey.self] = newValue }
    }
}

/// Authenticates the caller (bearer access token, or API key `rcm_…`), checks the route's rule,
/// and writes the audit entry: for changes and reads of patient-level data, and for every refusal.
/// A route that changes data runs in one transaction with its entry (``ChangeTransaction``): a
/// change without its entry cannot be committed, and a route that fails keeps nothing it wrote.
struct AccessControlMiddleware: AsyncMiddleware {
    /// How the caller proves who it is.
    enum Credentials: Sendable {
        /// `Authorization: Bearer` with an access token or an API key (the API).
        case bearer
        /// The console's session cookie (``ConsoleSession``): a page asked for without a session is
        /// sent to the sign-in page; a form posted without the session's CSRF token is refused (403).
        case session(idleSeconds: Double)
    }

    let rule: AccessPolicy.Rule?
    let security: SecurityServices
    var credentials: Credentials = .bearer

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let principal: Principal
        do {
            principal = try await authenticate(request)
        } catch let error as AccessTokenError {
            if case .session = credentials, request.method == .GET {
                // Not a refusal of data: the browser is sent to sign in first.
                return request.redirect(to: ConsoleSession.signInPath(returningTo: request.url.path))
            }
            try await record(request, principal: nil, outcome: "denied", status: 401)
            throw Abort(.unauthorized, headers: ["WWW-Authenticate": "Bearer"], reason: error.description)
        }
        if case .session = credentials, request.method != .GET,
            !(await ConsoleSession.hasValidCSRFToken(collecting: request))
        {
            try await record(request, principal: principal, outcome: "denied", status: 403)
            throw Abort(
                .forbidden, reason: "the form is not from this session (CSRF token missing or wrong): reload the page")
        }
        guard let rule, !principal.roles.isDisjoint(with: rule.roles) else {
            try await record(request, principal: principal, outcome: "denied", status: 403)
            throw Abort(
                .forbidden,
                reason: rule == nil
                    ? "this route is not in the permission table: nobody may call it"
                    : "role \(principal.roleList.isEmpty ? "(none)" : principal.roleList) may not \(rule!.action); "
                        + "allowed: \(rule!.roles.sorted().map(\.rawValue).joined(separator: ", "))")
        }
        request.principal = principal
        do {
            guard rule.changes else {
                let response = try await next.respond(to: request)
                if rule.readsPatientData { try await record(request, principal: principal, response: response) }
                return response
            }
            // A change and its audit entry commit together or not at all: every store the route
            // calls writes in this transaction, and so does the entry.
            return try await ChangeTransaction.run(on: security.audit.database) { _ in
                let response = try await next.respond(to: request)
                try await record(request, principal: principal, response: response)
                return response
            }
        } catch {
            // Nothing the route wrote is kept; the refusal or failure is recorded on its own.
            let status = ProblemDetailsMiddleware.status(for: error).code
            try await record(request, principal: principal, outcome: "failure", status: Int(status))
            throw error
        }
    }

    private func record(_ request: Request, principal: Principal, response: Response) async throws {
        let status = Int(response.status.code)
        try await record(request, principal: principal, outcome: status < 400 ? "success" : "failure", status: status)
    }

    private func authenticate(_ request: Request) async throws -> Principal {
        if case .session(let idleSeconds) = credentials {
            guard let userID = ConsoleSession.user(of: request, idleSeconds: idleSeconds) else {
                throw AccessTokenError.missing
            }
            guard let principal = try await security.users.principal(id: userID) else {
                request.session.destroy()
                throw AccessTokenError.invalid
            }
            return principal
        }
        guard let bearer = request.headers.bearerAuthorization?.token, !bearer.isEmpty else {
            throw AccessTokenError.missing
        }
        if bearer.hasPrefix("rcm_") {
            guard let principal = try await security.users.principal(apiKey: bearer) else {
                throw AccessTokenError.invalid
            }
            return principal
        }
        let userID = try await security.tokens.userID(of: bearer)
        guard let principal = try await security.users.principal(id: userID) else { throw AccessTokenError.invalid }
        return principal
    }

    private func record(_ request: Request, principal: Principal?, outcome: String, status: Int) async throws {
        let route = request.route
        let resourceID =
            request.auditResourceID
            ?? route?.path.compactMap { component -> String? in
                guard case .parameter(let name) = component else { return nil }
                return request.parameters.get(name)
            }.joined(separator: "/").nilIfEmpty
        try await security.audit.append(
            AuditTrail.Record(
                actor: principal?.actor ?? "anonymous", role: principal?.roleList,
                action: rule?.action ?? route.map { AccessPolicy.key(method: $0.method, path: $0.path) } ?? "unknown",
                resourceType: rule?.resourceType ?? "route", resourceID: resourceID, outcome: outcome, status: status,
                ipAddress: request.remoteAddress?.ipAddress, userAgent: request.headers.first(name: .userAgent),
                requestID: request.id, changes: outcome == "success" ? request.auditChanges : nil))
    }
}

extension String {
    fileprivate var nilIfEmpty: String? { isEmpty ? nil : self }
}
