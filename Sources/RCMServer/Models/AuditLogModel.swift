import Fluent
import Foundation

/// A row of `audit_logs`: one user or system action, chained to the previous row by hash
/// (``AuditTrail``). Append-only: on PostgreSQL a trigger refuses UPDATE and DELETE.
final class AuditLogModel: Model, @unchecked Sendable {
    static let schema = "audit_logs"

    @ID(key: .id) var id: UUID?
    /// Position in the chain, 1, 2, 3… (unique: two appends cannot both take the same place).
    @Field(key: "seq") var seq: Int64
    @Field(key: "occurred_at") var occurredAt: Date
    /// `user:<email>`, `service:<email>`, `cli:<os user>`, `system:<worker>`, or `anonymous`.
    @Field(key: "actor") var actor: String
    @OptionalField(key: "role") var role: String?
    @Field(key: "action") var action: String
    @Field(key: "resource_type") var resourceType: String
    @OptionalField(key: "resource_id") var resourceID: String?
    /// `success`, `denied` or `failure`.
    @Field(key: "outcome") var outcome: String
    @OptionalField(key: "status") var status: Int?
    @OptionalField(key: "ip_address") var ipAddress: String?
    @OptionalField(key: "user_agent") var userAgent: String?
    @OptionalField(key: "request_id") var requestID: String?
    /// Before/after of the changed fields, canonical JSON; `nil` for reads.
    @OptionalField(key: "changes") var changes: String?
    @Field(key: "prev_hash") var previousHash: String
    @Field(key: "hash") var hash: String
    /// Which HMAC key signed the chain entry (`nil`: plain SHA-256).
    @OptionalField(key: "key_id") var keyID: String?

    init() {}
}
