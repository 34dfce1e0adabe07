import Foundation
import Vapor

/// Who is calling: an authenticated user or service account, with its roles.
public struct Principal: Sendable, Hashable {
    public let userID: UUID
    public let email: String
    /// `person` or `service`.
    public let kind: String
    public let roles: Set<Role>

    /// The actor as the audit trail names it: `user:<email>` or `service:<email>`.
    public var actor: String { (kind == "service" ? "service:" : "user:") + email }

    /// The roles as one audit field, e.g. `biller,coder`.
    public var roleList: String { roles.sorted().map(\.rawValue).joined(separator: ",") }
}

extension Request {
    private struct PrincipalKey: StorageKey { typealias Value = Principal }
    private struct AuditChangesKey: StorageKey { typealias Value = [String: AuditChange] }
    private struct AuditResourceKey: StorageKey { typealias Value = String }

    /// The authenticated caller, set by ``AccessControl`` on protected routes.
    public var principal: Principal? {
        get { storage[PrincipalKey.self] }
        set { storage[PrincipalKey.self] = newValue }
    }

    /// Before/after of what a handler changed, for the audit entry of this request.
    public var auditChanges: [String: AuditChange]? {
        get { storage[AuditChangesKey.self] }
        set { storage[AuditChangesKey.self] = newValue }
    }

    /// The resource id for the audit entry when the route has no `:id`-like parameter.
    public var auditResourceID: String? {
        get { storage[AuditResourceKey.self] }
        set { storage[AuditResourceKey.self] = newValue }
    }
}
