import Crypto
import Fluent
import Foundation
import NIOPosix
import SQLKit
import Vapor

/// Users, their roles, refresh tokens and API keys (`users`, `user_roles`, `refresh_tokens`,
/// `api_keys`). Passwords are hashed with bcrypt (Vapor's `Bcrypt`, cost 12 by default, on the
/// thread pool); refresh tokens and API keys are random 256-bit secrets stored only as SHA-256.
public struct UserDirectory: Sendable {
    let database: any Database
    let bcryptCost: Int

    /// Lifetime of a refresh token, in seconds (8 hours: a working day).
    public static let refreshLifetimeSeconds: Double = 8 * 3600
    /// The shortest password accepted (NIST SP 800-63B allows 8; we ask 12).
    public static let minimumPasswordLength = 12

    public init(database: any Database, bcryptCost: Int = 12) {
        self.database = database
        self.bcryptCost = bcryptCost
    }

    /// A user as listed.
    public struct User: Sendable, Hashable {
        public let id: UUID
        public let email: String
        public let kind: String
        public let roles: [Role]
        public let disabled: Bool
        public let createdAt: Date
    }

    /// Creates a person (with a password) or a service account (`password` nil).
    /// - Throws: ``SecurityError`` for a bad e-mail, a short password, or an existing user.
    @discardableResult
    public func create(email: String, roles: [Role], password: String?, now: Date = Date()) async throws -> User {
        let email = try Self.normalized(email: email)
        if let password, password.count < Self.minimumPasswordLength {
            throw SecurityError.weakPassword("at least \(Self.minimumPasswordLength) characters")
        }
        var computed: String?
        if let password { computed = try await hashPassword(password) }
        let hash = computed
        return try await DatabaseMetrics.measure("users.create") {
            try await database.transaction { transaction in
                guard try await UserModel.query(on: transaction).filter(\.$email == email).first() == nil else {
                    throw SecurityError.userExists(email)
                }
                let user = UserModel()
                user.id = UUID()
                user.email = email
                user.passwordHash = hash
                user.kind = password == nil ? "service" : "person"
                user.disabled = false
                user.createdAt = now
                try await user.create(on: transaction)
                for role in Set(roles) {
                    let row = UserRoleModel()
                    row.$user.id = try user.requireID()
                    row.role = role.rawValue
                    try await row.create(on: transaction)
                }
                return User(
                    id: try user.requireID(), email: email, kind: user.kind, roles: Set(roles).sorted(),
                    disabled: false,
                    createdAt: now)
            }
        }
    }

    /// Every user, by e-mail.
    public func list() async throws -> [User] {
        try await DatabaseMetrics.measure("users.list") {
            try await UserModel.query(on: database).with(\.$roles).sort(\.$email).all().map { model in
                User(
                    id: try model.requireID(), email: model.email, kind: model.kind,
                    roles: model.roles.compactMap { Role(rawValue: $0.role) }.sorted(), disabled: model.disabled,
                    createdAt: model.createdAt)
            }
        }
    }

    /// Disables a user (or enables it again): its tokens and keys stop working at once.
    /// - Returns: the state before, for the audit trail.
    @discardableResult
    public func setDisabled(_ disabled: Bool, email: String) async throws -> Bool {
        let email = try Self.normalized(email: email)
        return try await DatabaseMetrics.measure("users.setDisabled") {
            guard let user = try await UserModel.query(on: database).filter(\.$email == email).first() else {
                throw SecurityError.noSuchUser(email)
            }
            let before = user.disabled
            user.disabled = disabled
            try await user.update(on: database)
            if disabled {
                try await RefreshTokenModel.query(on: database).filter(\.$user.$id == user.requireID())
                    .filter(\.$revokedAt == nil).set(\.$revokedAt, to: Date()).update()
            }
            return before
        }
    }

    /// The enabled user with this id, as a principal.
    public func principal(id: UUID) async throws -> Principal? {
        try await DatabaseMetrics.measure("users.principal") {
            // Plain SQL, one statement: asked on every authenticated request (issue 22).
            let rows = try await database.sql.select().column(SQLColumn("email", table: UserModel.schema))
                .column(SQLColumn("kind", table: UserModel.schema))
                .column(SQLColumn("disabled", table: UserModel.schema))
                .column(SQLColumn("role", table: UserRoleModel.schema))
                .from(UserModel.schema)
                .join(
                    UserRoleModel.schema, method: SQLJoinMethod.left,
                    on: SQLColumn("user_id", table: UserRoleModel.schema), .equal,
                    SQLColumn("id", table: UserModel.schema)
                )
                .where(SQLColumn("id", table: UserModel.schema), .equal, SQLBind(id)).all()
            guard let first = rows.first, try !first.decode(column: "disabled", as: Bool.self) else { return nil }
            return Self.principal(
                userID: id, email: try first.decode(column: "email", as: String.self),
                kind: try first.decode(column: "kind", as: String.self),
                roles: try rows.compactMap { try $0.decode(column: "role", as: String?.self) })
        }
    }

    /// The user whose password this is, or `nil` — the same answer, after the same bcrypt work,
    /// whether the e-mail is unknown, the password wrong or the user disabled.
    public func authenticate(email: String, password: String) async throws -> Principal? {
        let email = (try? Self.normalized(email: email)) ?? ""
        let user = try await DatabaseMetrics.measure("users.authenticate") {
            try await UserModel.query(on: database).filter(\.$email == email).with(\.$roles).first()
        }
        let hash = user?.passwordHash ?? Self.decoyHash
        let matches = try await verifyPassword(password, hash: hash)
        guard let user, matches, !user.disabled, user.passwordHash != nil else { return nil }
        return try Self.principal(user)
    }

    /// A new refresh token for a user (returned once; stored as SHA-256).
    public func issueRefreshToken(for userID: UUID, now: Date = Date()) async throws -> String {
        let token = Self.randomSecret()
        try await DatabaseMetrics.measure("refresh_tokens.issue") {
            let row = RefreshTokenModel()
            row.id = UUID()
            row.$user.id = userID
            row.tokenHash = Self.sha256(token)
            row.expiresAt = now.addingTimeInterval(Self.refreshLifetimeSeconds)
            row.createdAt = now
            try await row.create(on: database)
        }
        return token
    }

    /// Uses a refresh token once: revokes it and returns its user, if it is valid and unexpired
    /// and the user enabled. The caller issues a new pair (rotation).
    public func redeemRefreshToken(_ token: String, now: Date = Date()) async throws -> Principal? {
        try await DatabaseMetrics.measure("refresh_tokens.redeem") {
            try await database.transaction { transaction in
                guard
                    let row = try await RefreshTokenModel.query(on: transaction)
                        .filter(\.$tokenHash == Self.sha256(token)).filter(\.$revokedAt == nil).first(),
                    row.expiresAt > now
                else { return nil }
                // Revoke only if still unrevoked, and go on only if this call revoked it: a token used
                // twice at once yields one pair (on PostgreSQL both calls may read it unrevoked; the
                // second UPDATE then waits for the first and finds nothing left to revoke).
                guard let sql = transaction as? any SQLDatabase,
                    try await sql.raw(
                        """
                        UPDATE refresh_tokens SET revoked_at = \(bind: now)
                        WHERE id = \(bind: try row.requireID()) AND revoked_at IS NULL RETURNING id
                        """
                    ).first() != nil
                else { return nil }
                guard
                    let user = try await UserModel.query(on: transaction).filter(\.$id == row.$user.id)
                        .with(\.$roles).first(), !user.disabled
                else { return nil }
                return try Self.principal(user)
            }
        }
    }

    /// Revokes a refresh token (logout). Unknown tokens are ignored.
    public func revokeRefreshToken(_ token: String, now: Date = Date()) async throws {
        try await DatabaseMetrics.measure("refresh_tokens.revoke") {
            try await RefreshTokenModel.query(on: database).filter(\.$tokenHash == Self.sha256(token))
                .filter(\.$revokedAt == nil).set(\.$revokedAt, to: now).update()
        }
    }

    /// A new API key for a service account, returned once: `rcm_<key id>_<secret>`.
    /// - Throws: ``SecurityError/noSuchUser(_:)``.
    public func issueAPIKey(email: String, name: String, now: Date = Date()) async throws -> String {
        let email = try Self.normalized(email: email)
        let secret = Self.randomSecret()
        let id = UUID()
        try await DatabaseMetrics.measure("api_keys.issue") {
            guard let user = try await UserModel.query(on: database).filter(\.$email == email).first() else {
                throw SecurityError.noSuchUser(email)
            }
            let row = APIKeyModel()
            row.id = id
            row.$user.id = try user.requireID()
            row.name = name
            row.keyHash = Self.sha256(secret)
            row.createdAt = now
            try await row.create(on: database)
        }
        return "rcm_\(id.uuidString.lowercased().replacingOccurrences(of: "-", with: ""))_\(secret)"
    }

    /// The enabled user of a valid, unrevoked API key.
    public func principal(apiKey: String) async throws -> Principal? {
        let parts = apiKey.split(separator: "_", maxSplits: 2).map(String.init)
        guard parts.count == 3, parts[0] == "rcm", parts[1].count == 32, let id = Self.uuid(hex: parts[1]) else {
            return nil
        }
        return try await DatabaseMetrics.measure("api_keys.principal") {
            guard
                let key = try await APIKeyModel.query(on: database).filter(\.$id == id).filter(\.$revokedAt == nil)
                    .first(),
                Self.constantTimeEqual(key.keyHash, Self.sha256(parts[2])),
                let user = try await UserModel.query(on: database).filter(\.$id == key.$user.id).with(\.$roles).first(),
                !user.disabled
            else { return nil }
            return try Self.principal(user)
        }
    }

    // MARK: - Helpers

    static func principal(_ user: UserModel) throws -> Principal {
        principal(userID: try user.requireID(), email: user.email, kind: user.kind, roles: user.roles.map(\.role))
    }

    /// A user's principal; stored role names RCM no longer knows are left out.
    static func principal(userID: UUID, email: String, kind: String, roles: [String]) -> Principal {
        Principal(userID: userID, email: email, kind: kind, roles: Set(roles.compactMap(Role.init(rawValue:))))
    }

    /// Lower-cased, trimmed e-mail address with one `@` and a dotted domain.
    static func normalized(email: String) throws -> String {
        let text = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), text.count <= 254,
            !text.contains(where: \.isWhitespace)
        else { throw SecurityError.invalidEmail(email) }
        return text
    }

    /// A bcrypt hash no password matches, verified when the e-mail is unknown so that both
    /// answers take the same time.
    static let decoyHash: String = (try? Bcrypt.hash(UUID().uuidString, cost: 12)) ?? ""

    func hashPassword(_ password: String) async throws -> String {
        let cost = bcryptCost
        return try await NIOThreadPool.singleton.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    func verifyPassword(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { (try? Bcrypt.verify(password, created: hash)) ?? false }
    }

    static func randomSecret() -> String {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static func uuid(hex: String) -> UUID? {
        guard hex.count == 32, hex.allSatisfy(\.isHexDigit) else { return nil }
        let characters = Array(hex)
        let dashed = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }.joined(separator: "-")
        return UUID(uuidString: dashed)
    }
}
