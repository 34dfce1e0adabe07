import Crypto
import Fluent
import Foundation
import RCMCore
import SQLKit

/// The tamper-evident audit trail over `audit_logs`: each entry carries the previous entry's hash
/// and its own hash over a canonical encoding (``AuditEntry/canonicalData()``), optionally keyed
/// (HMAC-SHA-256 with `RCM_AUDIT_HMAC_KEY`; the key id, the first 8 hex digits of the key's
/// SHA-256, is stored). Appends are serialised in the database (a transaction-scoped advisory
/// lock on PostgreSQL, the single writer on SQLite, and a unique `seq` everywhere), so replicas
/// never fork the chain.
public struct AuditTrail: Sendable {
    let database: any Database
    let key: SymmetricKey?
    let keyID: String?
    private let groupCommit: AuditGroupCommit

    /// - Parameter hmacKey: the chain's HMAC key, if the chain is keyed.
    public init(database: any Database, hmacKey: String? = nil) {
        self.database = database
        if let hmacKey {
            key = SymmetricKey(data: Data(hmacKey.utf8))
            keyID = String(SHA256.hash(data: Data(hmacKey.utf8)).map { String(format: "%02x", $0) }.joined().prefix(8))
        } else {
            key = nil
            keyID = nil
        }
        groupCommit = AuditGroupCommit { [key, keyID] records in
            try await Self.write(records, on: database, keyID: keyID, key: key)
        }
    }

    /// What to record; the trail adds the place in the chain and the hashes.
    public struct Record: Sendable {
        public var actor: String
        public var role: String?
        public var action: String
        public var resourceType: String
        public var resourceID: String?
        public var outcome: String
        public var status: Int?
        public var ipAddress: String?
        public var userAgent: String?
        public var requestID: String?
        public var changes: [String: AuditChange]?

        public init(
            actor: String, role: String? = nil, action: String, resourceType: String, resourceID: String? = nil,
            outcome: String, status: Int? = nil, ipAddress: String? = nil, userAgent: String? = nil,
            requestID: String? = nil, changes: [String: AuditChange]? = nil
        ) {
            self.actor = actor
            self.role = role
            self.action = action
            self.resourceType = resourceType
            self.resourceID = resourceID
            self.outcome = outcome
            self.status = status
            self.ipAddress = ipAddress
            self.userAgent = userAgent
            self.requestID = requestID
            self.changes = changes
        }
    }

    /// Text of an anonymous or refused request (`actor` `anonymous`, or outcome `denied`) is stored
    /// up to this many characters, then cut with ``truncationMarker(_:)``.
    public static let refusedTextLimit = 256
    /// Text of any other entry is stored up to this many characters (a bound on a row, not a rule
    /// of the data: RCM's own identifiers are far shorter).
    public static let textLimit = 2048

    /// What a cut value ends with: `…[truncated: 60000 characters in all]`.
    public static func truncationMarker(_ count: Int) -> String { "…[truncated: \(count) characters in all]" }

    /// The form of a caller's text that the trail stores and hashes: control characters escaped
    /// (``RCMCore/InputText/escaped(_:)``: a NUL byte did not read back from SQLite as written, and
    /// PostgreSQL refuses it), and cut to `limit` characters with ``truncationMarker(_:)``. What is
    /// stored reads back byte for byte, so ``verify()`` never reports a change that did not happen.
    static func storable(_ text: String?, limit: Int) -> String? {
        guard let text else { return nil }
        let escaped = InputText.escaped(text)
        guard escaped.count > limit else { return escaped }
        return String(escaped.prefix(limit)) + truncationMarker(escaped.count)
    }

    /// ``storable(_:limit:)`` applied to every text a request supplies.
    static func storable(_ record: Record) -> Record {
        let limit = record.actor == "anonymous" || record.outcome == "denied" ? refusedTextLimit : textLimit
        var record = record
        record.actor = storable(record.actor, limit: limit) ?? ""
        record.role = storable(record.role, limit: limit)
        record.action = storable(record.action, limit: limit) ?? ""
        record.resourceType = storable(record.resourceType, limit: limit) ?? ""
        record.resourceID = storable(record.resourceID, limit: limit)
        record.ipAddress = storable(record.ipAddress, limit: limit)
        record.userAgent = storable(record.userAgent, limit: limit)
        record.requestID = storable(record.requestID, limit: limit)
        return record
    }

    /// Appends one entry at the end of the chain, its text in ``storable(_:limit:)`` form.
    ///
    /// Inside a change (``ChangeTransaction``) the entry is written in the change's transaction and
    /// commits with it, or not at all. Otherwise (reads, refusals) entries asked for while an append
    /// is being written go out together in the next transaction (group commit,
    /// ``AuditGroupCommit``): every caller returns once its own entry is committed, and readers no
    /// longer queue one transaction each behind the chain's end.
    /// - Returns: the entry as stored (inside a change: as it will be once the change commits).
    @discardableResult
    public func append(_ record: Record, at date: Date = Date()) async throws -> AuditEntry {
        if let change = ChangeTransaction.current {
            let entries = try await Self.write([(Self.storable(record), date)], on: change, keyID: keyID, key: key)
            return entries[0]
        }
        return try await groupCommit.append(Self.storable(record), at: date)
    }

    /// Runs `change` — which makes a change and appends its entries — in one transaction
    /// (``ChangeTransaction``): the change and its entries commit together, or neither does. For
    /// changes made outside a request (the operator commands); routes get the same from
    /// ``AccessControlMiddleware``.
    /// - Throws: what `change` throws (nothing it wrote is kept then), or the database's error.
    public func change<T: Sendable>(_ change: @escaping @Sendable () async throws -> T) async throws -> T {
        try await ChangeTransaction.run(on: database) { _ in try await change() }
    }

    /// Writes `records` at the end of the chain, in order, in one transaction (joining the open one
    /// when `database` is a transaction); tried again from the chain's new end when another writer
    /// took the next place (a unique `seq`).
    static func write(_ records: [(Record, Date)], on database: any Database, keyID: String?, key: SymmetricKey?)
        async throws -> [AuditEntry]
    {
        var lastError: (any Error)?
        for _ in 0..<8 {
            do {
                return try await DatabaseMetrics.measure("audit_logs.append") {
                    try await database.transaction { transaction in
                        if let sql = transaction as? any SQLDatabase, sql.dialect.name == "postgresql" {
                            try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: Self.advisoryLock))").run()
                        }
                        // The chain's end and the new rows by plain SQL: an append is part of every
                        // audited request and change (issue 22: Fluent's models cost a reflection
                        // walk per row).
                        let sql = try transaction.sql
                        let last = try await sql.select().columns("seq", "hash").from(AuditLogModel.schema)
                            .orderBy("seq", .descending).limit(1).first()
                        var seq = try last?.decode(column: "seq", as: Int64.self) ?? 0
                        var previousHash = try last?.decode(column: "hash", as: String.self) ?? AuditEntry.genesisHash
                        var entries: [AuditEntry] = []
                        for (record, date) in records {
                            let changes = try record.changes.map { changes in
                                let encoder = JSONEncoder()
                                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                                // JSON escapes control characters; escaped() leaves it as it is.
                                return InputText.escaped(String(decoding: try encoder.encode(changes), as: UTF8.self))
                            }
                            seq += 1
                            var entry = AuditEntry(
                                seq: seq,
                                occurredAt: Date(
                                    timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000),
                                actor: record.actor, role: record.role, action: record.action,
                                resourceType: record.resourceType, resourceID: record.resourceID,
                                outcome: record.outcome, status: record.status, ipAddress: record.ipAddress,
                                userAgent: record.userAgent, requestID: record.requestID, changes: changes,
                                previousHash: previousHash, hash: "", keyID: keyID)
                            entry.hash = entry.computedHash(key: key)
                            previousHash = entry.hash
                            entries.append(entry)
                        }
                        let insert = sql.insert(into: AuditLogModel.schema).columns(AuditLogModel.columns)
                        for entry in entries { insert.values(AuditLogModel.values(of: entry)) }
                        try await insert.run()
                        return entries
                    }
                }
            } catch {
                // Another writer took this place in the chain: read the end again.
                guard (error as? any DatabaseError)?.isConstraintFailure == true else { throw error }
                lastError = error
            }
        }
        throw lastError ?? AuditTrailError.contention
    }

    /// The result of walking the chain.
    public enum Verification: Sendable, Equatable {
        /// Every entry links to the one before and its hash is right.
        case intact(entries: Int)
        /// The first entry that does not: its `seq`, id, and why.
        case broken(seq: Int64, id: UUID?, reason: String)
    }

    /// Walks the whole chain in `seq` order and names the first broken entry: changed (its hash
    /// does not match its content), or after a deleted or reordered entry (its previous hash does
    /// not match, or its place in the chain is not the next one).
    public func verify() async throws -> Verification {
        var previous = AuditEntry.genesisHash
        var expected: Int64 = 1
        var count = 0
        var cursor: Int64 = 0
        while true {
            let page = try await AuditLogModel.query(on: database).filter(\.$seq > cursor).sort(\.$seq, .ascending)
                .limit(1000).all()
            guard !page.isEmpty else { break }
            for row in page {
                let entry = row.entry
                if entry.seq != expected {
                    return .broken(
                        seq: entry.seq, id: row.id,
                        reason: "entry \(expected) is missing: the chain jumps from \(expected - 1) to \(entry.seq)")
                }
                if entry.previousHash != previous {
                    return .broken(
                        seq: entry.seq, id: row.id,
                        reason: "its previous hash does not match entry \(entry.seq - 1): an entry before it was "
                            + "changed, removed or moved")
                }
                if entry.keyID != keyID {
                    return .broken(
                        seq: entry.seq, id: row.id,
                        reason: "it was signed with key id \(entry.keyID ?? "none"), but the configured key id is "
                            + "\(keyID ?? "none")")
                }
                if entry.computedHash(key: key) != entry.hash {
                    return .broken(
                        seq: entry.seq, id: row.id, reason: "its content does not match its hash: it was changed")
                }
                previous = entry.hash
                expected += 1
                count += 1
                cursor = entry.seq
            }
        }
        return .intact(entries: count)
    }

    /// Entries matching the filters, newest first.
    public func entries(
        actor: String? = nil, action: String? = nil, resourceType: String? = nil, resourceID: String? = nil,
        from: Date? = nil, to: Date? = nil, limit: Int = 100
    ) async throws -> [AuditEntry] {
        try await DatabaseMetrics.measure("audit_logs.entries") {
            var query = AuditLogModel.query(on: database)
            if let actor { query = query.filter(\.$actor == actor) }
            if let action { query = query.filter(\.$action == action) }
            if let resourceType { query = query.filter(\.$resourceType == resourceType) }
            if let resourceID { query = query.filter(\.$resourceID == resourceID) }
            if let from { query = query.filter(\.$occurredAt >= from) }
            if let to { query = query.filter(\.$occurredAt < to) }
            return try await query.sort(\.$seq, .descending).limit(limit).all().map(\.entry)
        }
    }

    /// How many entries with `action` and `outcome` there are since `since`, by actor or by IP
    /// address (for the login throttle).
    func count(action: String, outcome: String, since: Date, actor: String? = nil, ipAddress: String? = nil)
        async throws -> Int
    {
        try await DatabaseMetrics.measure("audit_logs.count") {
            var query = AuditLogModel.query(on: database).filter(\.$action == action).filter(\.$outcome == outcome)
                .filter(\.$occurredAt >= since)
            if let actor { query = query.filter(\.$actor == actor) }
            if let ipAddress { query = query.filter(\.$ipAddress == ipAddress) }
            return try await query.count()
        }
    }

    /// The advisory lock key that serialises appends on PostgreSQL ("RCMAUDIT" as ASCII bits).
    static let advisoryLock: Int64 = 0x5243_4D41_5544_4954
}

/// One changed field: its value before and after.
public struct AuditChange: Sendable, Hashable, Codable {
    public var before: String?
    public var after: String?

    public init(before: String?, after: String?) {
        self.before = before
        self.after = after
    }
}

/// The audit trail could not take an entry.
public enum AuditTrailError: Error, CustomStringConvertible {
    case contention

    public var description: String { "the audit trail is busy: too many concurrent appends; try again" }
}

extension AuditLogModel {
    /// The columns of a row, in the order ``values(of:)`` gives them.
    static let columns = [
        "id", "seq", "occurred_at", "actor", "role", "action", "resource_type", "resource_id", "outcome", "status",
        "ip_address", "user_agent", "request_id", "changes", "prev_hash", "hash", "key_id",
    ]

    /// The row of `entry` (a new id), in ``columns`` order.
    static func values(of entry: AuditEntry) -> [any SQLExpression] {
        [
            SQLBind(UUID()), SQLBind(entry.seq), SQLBind(entry.occurredAt), SQLBind(entry.actor), SQLBind(entry.role),
            SQLBind(entry.action), SQLBind(entry.resourceType), SQLBind(entry.resourceID), SQLBind(entry.outcome),
            SQLBind(entry.status), SQLBind(entry.ipAddress), SQLBind(entry.userAgent), SQLBind(entry.requestID),
            SQLBind(entry.changes), SQLBind(entry.previousHash), SQLBind(entry.hash), SQLBind(entry.keyID),
        ]
    }

    var entry: AuditEntry {
        AuditEntry(
            seq: seq, occurredAt: occurredAt, actor: actor, role: role, action: action, resourceType: resourceType,
            resourceID: resourceID, outcome: outcome, status: status, ipAddress: ipAddress, userAgent: userAgent,
            requestID: requestID, changes: changes, previousHash: previousHash, hash: hash, keyID: keyID)
    }
}
