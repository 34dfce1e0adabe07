import Crypto
import Foundation

/// One entry of the audit trail (HIPAA 164.312(b) audit controls; ONC 170.315(d)(10)): who did
/// what to which resource, when, from where, with what outcome, and for changes the before/after
/// of the changed fields. Never holds passwords, tokens or keys.
public struct AuditEntry: Sendable, Hashable, Codable {
    /// Position in the chain (1-based).
    public var seq: Int64
    /// When, UTC, to the millisecond.
    public var occurredAt: Date
    /// `user:<email>`, `service:<email>`, `cli:<os user>`, `system:<worker>`, `anonymous`.
    public var actor: String
    public var role: String?
    /// What was done, e.g. `workflow.pause`, `auth.login`, `user.create`.
    public var action: String
    public var resourceType: String
    public var resourceID: String?
    /// `success`, `denied` or `failure`.
    public var outcome: String
    /// The HTTP status, for API actions.
    public var status: Int?
    public var ipAddress: String?
    public var userAgent: String?
    public var requestID: String?
    /// Before/after of the changed fields, as canonical JSON (`{"status":{"before":"…","after":"…"}}`).
    public var changes: String?
    /// The previous entry's hash (64 zeros for the first entry).
    public var previousHash: String
    /// This entry's hash over its canonical encoding and the previous hash.
    public var hash: String
    /// The HMAC key id when the chain is keyed.
    public var keyID: String?

    /// The hash of the first entry's predecessor.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The canonical encoding the hash covers: a JSON array of every field but `hash`, in a fixed
    /// order, dates as milliseconds since 1970 (UTC), absent values as `null`, no whitespace.
    public func canonicalData() -> Data {
        func text(_ value: String?) -> String {
            guard let value else { return "null" }
            let data = try! JSONEncoder().encode(value)  // a String always encodes
            return String(decoding: data, as: UTF8.self)
        }
        let milliseconds = Int64((occurredAt.timeIntervalSince1970 * 1000).rounded())
        let fields = [
            "\(seq)", "\(milliseconds)", text(actor), text(role), text(action), text(resourceType), text(resourceID),
            text(outcome), status.map { "\($0)" } ?? "null", text(ipAddress), text(userAgent), text(requestID),
            text(changes), text(previousHash), text(keyID),
        ]
        return Data(("[" + fields.joined(separator: ",") + "]").utf8)
    }

    /// The hash of this entry: SHA-256 of the canonical encoding, or HMAC-SHA-256 with `key`.
    public func computedHash(key: SymmetricKey?) -> String {
        let data = canonicalData()
        if let key {
            return Data(HMAC<SHA256>.authenticationCode(for: data, using: key)).map { String(format: "%02x", $0) }
                .joined()
        }
        return SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
