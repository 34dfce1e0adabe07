import Fluent
import Foundation

/// A row of `users`: a person (logs in with e-mail and password) or a service account (calls with
/// API keys). Passwords are stored as bcrypt hashes only; e-mail addresses in lower case.
final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    /// Bcrypt hash (Vapor's `Bcrypt`, cost 12); `nil` for service accounts.
    @OptionalField(key: "password_hash") var passwordHash: String?
    /// `person` or `service`.
    @Field(key: "kind") var kind: String
    @Field(key: "disabled") var disabled: Bool
    @Field(key: "created_at") var createdAt: Date
    @Children(for: \.$user) var roles: [UserRoleModel]

    init() {}
}

/// A row of `user_roles`: one role of one user.
final class UserRoleModel: Model, @unchecked Sendable {
    static let schema = "user_roles"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserModel
    /// A ``Role`` raw value.
    @Field(key: "role") var role: String

    init() {}
}

/// A row of `refresh_tokens`: a refresh token's SHA-256 (the token itself is never stored), its
/// expiry and, once used or logged out, when it was revoked.
final class RefreshTokenModel: Model, @unchecked Sendable {
    static let schema = "refresh_tokens"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// A row of `api_keys`: a service account's key, as SHA-256 of its secret part.
final class APIKeyModel: Model, @unchecked Sendable {
    static let schema = "api_keys"

    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: UserModel
    @Field(key: "name") var name: String
    @Field(key: "key_hash") var keyHash: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "revoked_at") var revokedAt: Date?

    init() {}
}
