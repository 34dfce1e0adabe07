import Foundation
import HCX
import RCMCore
import SQLKit

/// The sandbox's own state in SQLite (a file, or memory for tests): every message the gateway
/// accepted or refused and its delivery, the payer's work and what it adjudicated and paid, so an
/// interrupted run is finished by the next start and tests can count messages.
///
/// Tables are the sandbox's private format (created if missing), not RCM's migrated schema.
public struct SandboxStore: Sendable {
    let database: any SQLDatabase

    /// Creates the tables if they do not exist.
    func prepare() async throws {
        let statements = [
            """
            CREATE TABLE IF NOT EXISTS sandbox_messages (
              api_call_id TEXT PRIMARY KEY, correlation_id TEXT NOT NULL, workflow_id TEXT,
              operation TEXT NOT NULL, sender_code TEXT NOT NULL, recipient_code TEXT NOT NULL, status TEXT,
              body TEXT NOT NULL, received_at REAL NOT NULL, delivery TEXT NOT NULL, deliveries INTEGER NOT NULL)
            """,
            "CREATE INDEX IF NOT EXISTS sandbox_messages_correlation ON sandbox_messages (correlation_id)",
            """
            CREATE TABLE IF NOT EXISTS sandbox_refusals (
              id INTEGER PRIMARY KEY AUTOINCREMENT, api_call_id TEXT, correlation_id TEXT, code TEXT NOT NULL,
              refused_at REAL NOT NULL)
            """,
            """
            CREATE TABLE IF NOT EXISTS sandbox_payer_requests (
              api_call_id TEXT PRIMARY KEY, correlation_id TEXT NOT NULL, operation TEXT NOT NULL,
              body TEXT NOT NULL, received_at REAL NOT NULL, answered_at REAL)
            """,
            """
            CREATE TABLE IF NOT EXISTS sandbox_adjudications (
              correlation_id TEXT PRIMARY KEY, subscriber_id TEXT, currency TEXT NOT NULL,
              consumed_minor INTEGER NOT NULL, response TEXT NOT NULL)
            """,
            """
            CREATE TABLE IF NOT EXISTS sandbox_outbox (
              id TEXT PRIMARY KEY, claim_api_call_id TEXT NOT NULL, correlation_id TEXT NOT NULL,
              operation TEXT NOT NULL, message TEXT NOT NULL, due_at REAL NOT NULL, sent_at REAL, answered_at REAL)
            """,
            "CREATE INDEX IF NOT EXISTS sandbox_outbox_correlation ON sandbox_outbox (correlation_id)",
            "CREATE TABLE IF NOT EXISTS sandbox_sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
            """
            CREATE TABLE IF NOT EXISTS sandbox_x12_interchanges (
              sender TEXT NOT NULL, control_number TEXT NOT NULL, answered_at REAL NOT NULL,
              PRIMARY KEY (sender, control_number))
            """,
        ]
        for statement in statements { try await database.raw("\(unsafeRaw: statement)").run() }
    }

    /// The next number of a named sequence (1, 2, …; the X12 clearinghouse's check numbers).
    func nextSequence(_ name: String) async throws -> Int {
        try await database.raw(
            """
            INSERT INTO sandbox_sequences (name, value) VALUES (\(bind: name), 1)
            ON CONFLICT (name) DO UPDATE SET value = value + 1
            RETURNING value
            """
        ).first()?.decode(column: "value", as: Int.self) ?? 1
    }

    /// Whether the X12 interchange `controlNumber` of `sender` was answered (its 999, 271 or 835 written).
    func isAnswered(x12Interchange controlNumber: String, sender: String) async throws -> Bool {
        try await database.raw(
            """
            SELECT 1 AS answered FROM sandbox_x12_interchanges
            WHERE sender = \(bind: sender) AND control_number = \(bind: controlNumber)
            """
        ).first() != nil
    }

    /// Records X12 interchanges as answered.
    func markAnswered(x12Interchanges: [(sender: String, controlNumber: String)], at date: Date) async throws {
        for interchange in x12Interchanges {
            try await database.raw(
                """
                INSERT INTO sandbox_x12_interchanges (sender, control_number, answered_at)
                VALUES (\(bind: interchange.sender), \(bind: interchange.controlNumber), \(bind: date.timeIntervalSince1970))
                ON CONFLICT (sender, control_number) DO NOTHING
                """
            ).run()
        }
    }

    // MARK: Gateway

    /// Records an accepted message.
    /// - Returns: `false` when a message with the same api_call_id exists (nothing is written).
    func accept(_ message: SandboxMessage) async throws -> Bool {
        let inserted = try await database.raw(
            """
            INSERT INTO sandbox_messages (api_call_id, correlation_id, workflow_id, operation, sender_code,
              recipient_code, status, body, received_at, delivery, deliveries)
            VALUES (\(bind: message.apiCallID), \(bind: message.correlationID), \(bind: message.workflowID),
              \(bind: message.operation.rawValue), \(bind: message.senderCode), \(bind: message.recipientCode),
              \(bind: message.status?.rawValue), \(bind: message.body), \(bind: message.receivedAt.timeIntervalSince1970),
              \(bind: message.delivery.rawValue), 0)
            ON CONFLICT (api_call_id) DO NOTHING RETURNING api_call_id
            """
        ).first()
        return inserted != nil
    }

    /// Records a refused call.
    func refuse(apiCallID: String?, correlationID: String?, code: HCXErrorCode, at date: Date) async throws {
        try await database.raw(
            """
            INSERT INTO sandbox_refusals (api_call_id, correlation_id, code, refused_at)
            VALUES (\(bind: apiCallID), \(bind: correlationID), \(bind: code.rawValue), \(bind: date.timeIntervalSince1970))
            """
        ).run()
    }

    /// Sets a message's delivery state, adding `deliveries` successful deliveries.
    func setDelivery(_ delivery: SandboxMessage.Delivery, deliveries: Int, apiCallID: String) async throws {
        try await database.raw(
            """
            UPDATE sandbox_messages SET delivery = \(bind: delivery.rawValue), deliveries = deliveries + \(bind: deliveries)
            WHERE api_call_id = \(bind: apiCallID)
            """
        ).run()
    }

    /// The messages of a correlation id, oldest first.
    func messages(correlationID: String) async throws -> [SandboxMessage] {
        try await messages(where: "correlation_id", correlationID)
    }

    /// Accepted messages not delivered yet, oldest first.
    func pendingMessages() async throws -> [SandboxMessage] {
        try await messages(where: "delivery", SandboxMessage.Delivery.pending.rawValue)
    }

    private func messages(where column: String, _ value: String) async throws -> [SandboxMessage] {
        let rows = try await database.raw(
            "SELECT * FROM sandbox_messages WHERE \(ident: column) = \(bind: value) ORDER BY received_at, rowid"
        ).all()
        return try rows.map { row in
            let operation = try row.decode(column: "operation", as: String.self)
            return SandboxMessage(
                apiCallID: try row.decode(column: "api_call_id", as: String.self),
                correlationID: try row.decode(column: "correlation_id", as: String.self),
                workflowID: try row.decode(column: "workflow_id", as: String?.self),
                operation: HCXOperation(rawValue: operation) ?? .statusRequest,
                senderCode: try row.decode(column: "sender_code", as: String.self),
                recipientCode: try row.decode(column: "recipient_code", as: String.self),
                status: try row.decode(column: "status", as: String?.self).flatMap(HCXStatus.init(rawValue:)),
                body: try row.decode(column: "body", as: String.self),
                receivedAt: Date(timeIntervalSince1970: try row.decode(column: "received_at", as: Double.self)),
                delivery: SandboxMessage.Delivery(rawValue: try row.decode(column: "delivery", as: String.self))
                    ?? .pending,
                deliveries: try row.decode(column: "deliveries", as: Int.self))
        }
    }

    /// Counts for one correlation id.
    public func counts(correlationID: String) async throws -> SandboxCounts {
        try await counts(column: "correlation_id", value: correlationID)
    }

    /// Counts for one api_call_id.
    public func counts(apiCallID: String) async throws -> SandboxCounts {
        try await counts(column: "api_call_id", value: apiCallID)
    }

    private func counts(column: String, value: String) async throws -> SandboxCounts {
        let accepted = try await database.raw(
            """
            SELECT operation, COUNT(*) AS n, SUM(deliveries) AS d FROM sandbox_messages
            WHERE \(ident: column) = \(bind: value) GROUP BY operation
            """
        ).all()
        let refused = try await database.raw(
            "SELECT code, COUNT(*) AS n FROM sandbox_refusals WHERE \(ident: column) = \(bind: value) GROUP BY code"
        ).all()
        var counts = SandboxCounts(accepted: 0, refused: 0, deliveries: 0, byOperation: [:], refusalsByCode: [:])
        for row in accepted {
            let operation = try row.decode(column: "operation", as: String.self)
            let n = try row.decode(column: "n", as: Int.self)
            counts.accepted += n
            counts.deliveries += try row.decode(column: "d", as: Int?.self) ?? 0
            counts.byOperation[HCXOperation(rawValue: operation)?.label ?? operation] = n
        }
        for row in refused {
            let n = try row.decode(column: "n", as: Int.self)
            counts.refused += n
            counts.refusalsByCode[try row.decode(column: "code", as: String.self)] = n
        }
        return counts
    }

    // MARK: Payer

    /// Records a request delivered to the payer.
    /// - Returns: `false` when it was delivered before (a duplicate delivery).
    func receiveAtPayer(apiCallID: String, correlationID: String, operation: HCXOperation, body: String, at date: Date)
        async throws -> Bool
    {
        try await database.raw(
            """
            INSERT INTO sandbox_payer_requests (api_call_id, correlation_id, operation, body, received_at)
            VALUES (\(bind: apiCallID), \(bind: correlationID), \(bind: operation.rawValue), \(bind: body),
              \(bind: date.timeIntervalSince1970))
            ON CONFLICT (api_call_id) DO NOTHING RETURNING api_call_id
            """
        ).first() != nil
    }

    /// Marks a payer request answered.
    func markAnswered(apiCallID: String, at date: Date) async throws {
        try await database.raw(
            """
            UPDATE sandbox_payer_requests SET answered_at = \(bind: date.timeIntervalSince1970)
            WHERE api_call_id = \(bind: apiCallID)
            """
        ).run()
    }

    /// Payer requests not answered yet: `(operation, body)` oldest first.
    func unansweredPayerRequests() async throws -> [(operation: HCXOperation, body: String)] {
        try await database.raw(
            "SELECT operation, body FROM sandbox_payer_requests WHERE answered_at IS NULL ORDER BY received_at, rowid"
        ).all().compactMap { row in
            guard let operation = HCXOperation(rawValue: try row.decode(column: "operation", as: String.self)) else {
                return nil
            }
            return (operation, try row.decode(column: "body", as: String.self))
        }
    }

    /// The stored ClaimResponse bundle for a correlation id, if it was adjudicated before.
    func adjudication(correlationID: String) async throws -> String? {
        try await database.raw(
            "SELECT response FROM sandbox_adjudications WHERE correlation_id = \(bind: correlationID)"
        ).first()?.decode(column: "response", as: String.self)
    }

    /// Records an adjudication once per correlation id (a repeat keeps the first).
    func recordAdjudication(
        correlationID: String, subscriberID: String?, consumed: Money, response: String
    ) async throws {
        try await database.raw(
            """
            INSERT INTO sandbox_adjudications (correlation_id, subscriber_id, currency, consumed_minor, response)
            VALUES (\(bind: correlationID), \(bind: subscriberID), \(bind: consumed.currency.code),
              \(bind: try consumed.minorUnits()), \(bind: response))
            ON CONFLICT (correlation_id) DO NOTHING
            """
        ).run()
    }

    /// Benefit already approved for a member, in `currency`.
    func used(subscriberID: String, currency: CurrencyCode) async throws -> Money {
        let minor =
            try await database.raw(
                """
                SELECT COALESCE(SUM(consumed_minor), 0) AS used FROM sandbox_adjudications
                WHERE subscriber_id = \(bind: subscriberID) AND currency = \(bind: currency.code)
                """
            ).first()?.decode(column: "used", as: Int64.self) ?? 0
        return Money(minorUnits: minor, currency: currency)
    }

    /// Queues a message the payer starts (a payment notice, a request for information), once per
    /// `id`; it keeps its headers, so a re-send after an interruption reuses its api_call_id.
    func enqueue(_ message: SandboxOutgoingMessage, id: String, claimAPICallID: String, dueAt: Date) async throws {
        try await database.raw(
            """
            INSERT INTO sandbox_outbox (id, claim_api_call_id, correlation_id, operation, message, due_at)
            VALUES (\(bind: id), \(bind: claimAPICallID), \(bind: message.headers.correlationID),
              \(bind: message.operation.rawValue), \(bind: try message.json()), \(bind: dueAt.timeIntervalSince1970))
            ON CONFLICT (id) DO NOTHING
            """
        ).run()
    }

    /// Queued messages not sent yet, by due time.
    func unsentMessages() async throws -> [(id: String, message: SandboxOutgoingMessage, dueAt: Date)] {
        try await database.raw("SELECT id, message, due_at FROM sandbox_outbox WHERE sent_at IS NULL ORDER BY due_at")
            .all().map { row in
                (
                    try row.decode(column: "id", as: String.self),
                    try SandboxOutgoingMessage(json: try row.decode(column: "message", as: String.self)),
                    Date(timeIntervalSince1970: try row.decode(column: "due_at", as: Double.self))
                )
            }
    }

    /// Marks a queued message sent.
    func markSent(id: String, at date: Date) async throws {
        try await database.raw(
            "UPDATE sandbox_outbox SET sent_at = \(bind: date.timeIntervalSince1970) WHERE id = \(bind: id)"
        ).run()
    }

    /// The queued message of this kind for a claim request: whether it was answered.
    func outboxAnswered(id: String) async throws -> Bool? {
        guard
            let row = try await database.raw("SELECT answered_at FROM sandbox_outbox WHERE id = \(bind: id)").first()
        else { return nil }
        return try row.decode(column: "answered_at", as: Double?.self) != nil
    }

    /// Records the answer to a queued message by its correlation id.
    /// - Returns: the api_call_id of the claim request it belongs to, if any.
    func markAnswered(outboxCorrelationID correlationID: String, at date: Date) async throws -> String? {
        try await database.raw(
            """
            UPDATE sandbox_outbox SET answered_at = \(bind: date.timeIntervalSince1970)
            WHERE correlation_id = \(bind: correlationID) RETURNING claim_api_call_id
            """
        ).first()?.decode(column: "claim_api_call_id", as: String.self)
    }

    /// A request the payer received, by api_call_id.
    func payerRequest(apiCallID: String) async throws -> (operation: HCXOperation, body: String)? {
        guard
            let row = try await database.raw(
                "SELECT operation, body FROM sandbox_payer_requests WHERE api_call_id = \(bind: apiCallID)"
            ).first(),
            let operation = HCXOperation(rawValue: try row.decode(column: "operation", as: String.self))
        else { return nil }
        return (operation, try row.decode(column: "body", as: String.self))
    }
}
