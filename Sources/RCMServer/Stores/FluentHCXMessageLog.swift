import Fluent
import Foundation
import HCX
import RCMCore
import RevenueCycle
import SQLKit

/// ``RevenueCycle/HCXMessageLog`` over Fluent (`hcx_messages`).
struct FluentHCXMessageLog: HCXMessageLog {
    let database: any Database

    // Plain SQL throughout: about a sixth of a claim cycle's statements are these, and Fluent's
    // models cost a reflection walk per row (issue 22, docs/benchmarks.md).

    func record(_ message: HCXMessageRecord) async throws -> Bool {
        try await DatabaseMetrics.measure("hcx_messages.record") {
            do {
                try await ChangeTransaction.savepoint(on: database) { database in
                    try await database.sql.insert(into: HCXMessageModel.schema)
                        .columns(
                            "id", "direction", "operation", "api_call_id", "correlation_id", "workflow_id",
                            "sender_code",
                            "recipient_code", "claim_id", "body", "acknowledgement", "created_at"
                        )
                        .values(
                            SQLBind(UUID()), SQLBind(message.direction.rawValue), SQLBind(message.operation.rawValue),
                            SQLBind(message.apiCallID), SQLBind(message.correlationID), SQLBind(message.workflowID),
                            SQLBind(message.senderCode), SQLBind(message.recipientCode),
                            SQLBind(message.claimID?.rawValue), SQLBind(message.body), SQLBind(message.acknowledgement),
                            SQLBind(message.createdAt)
                        )
                        .run()
                }
                return true
            } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
                return false
            }
        }
    }

    func setAcknowledgement(_ acknowledgement: String, apiCallID: String, direction: HCXMessageDirection) async throws {
        try await DatabaseMetrics.measure("hcx_messages.setAcknowledgement") {
            try await database.sql.update(HCXMessageModel.schema).set("acknowledgement", to: acknowledgement)
                .where("direction", .equal, direction.rawValue).where("api_call_id", .equal, apiCallID).run()
        }
    }

    func unprocessedInbound(_ operation: HCXOperation) async throws -> [HCXMessageRecord] {
        try await DatabaseMetrics.measure("hcx_messages.unprocessedInbound") {
            try await select().where("direction", .equal, HCXMessageDirection.inbound.rawValue)
                .where("operation", .equal, operation.rawValue).where("processed_at", .is, SQLLiteral.null)
                .orderBy("created_at").all().map { try HCXMessageModel.record(row: $0) }
        }
    }

    func isProcessed(inboundAPICallID: String) async throws -> Bool {
        try await DatabaseMetrics.measure("hcx_messages.isProcessed") {
            try await database.sql.select().column("processed_at").from(HCXMessageModel.schema)
                .where("direction", .equal, HCXMessageDirection.inbound.rawValue)
                .where("api_call_id", .equal, inboundAPICallID).limit(1).first()?
                .decode(column: "processed_at", as: Date?.self) != nil
        }
    }

    func markProcessed(inboundAPICallID: String, at date: Date, error: String?) async throws {
        try await DatabaseMetrics.measure("hcx_messages.markProcessed") {
            try await database.sql.update(HCXMessageModel.schema).set("processed_at", to: date)
                .set("processing_error", to: error)
                .where("direction", .equal, HCXMessageDirection.inbound.rawValue)
                .where("api_call_id", .equal, inboundAPICallID).run()
        }
    }

    func outbound(_ operation: HCXOperation, claimID: ClaimID) async throws -> HCXMessageRecord? {
        try await DatabaseMetrics.measure("hcx_messages.outbound") {
            try await select().where("direction", .equal, HCXMessageDirection.outbound.rawValue)
                .where("operation", .equal, operation.rawValue).where("claim_id", .equal, claimID.rawValue)
                .orderBy("created_at").limit(1).first().map { try HCXMessageModel.record(row: $0) }
        }
    }

    func outbound(_ operation: HCXOperation, correlationID: String) async throws -> HCXMessageRecord? {
        try await DatabaseMetrics.measure("hcx_messages.outbound") {
            try await select().where("direction", .equal, HCXMessageDirection.outbound.rawValue)
                .where("operation", .equal, operation.rawValue).where("correlation_id", .equal, correlationID)
                .orderBy("created_at").limit(1).first().map { try HCXMessageModel.record(row: $0) }
        }
    }

    private func select() throws -> SQLSelectBuilder {
        try database.sql.select().columns(HCXMessageModel.recordColumns.map { SQLColumn($0) })
            .from(HCXMessageModel.schema)
    }
}

extension HCXMessageModel {
    /// The columns ``record(row:)`` reads.
    static let recordColumns = [
        "direction", "operation", "api_call_id", "correlation_id", "workflow_id", "sender_code", "recipient_code",
        "claim_id", "body", "acknowledgement", "created_at",
    ]

    /// A message from a row holding ``recordColumns``, through the same mapping as ``toDomain()``.
    /// - Throws: `DecodingError` for a column of another type, ``StoredDataError`` for an unknown value.
    static func record(row: any SQLRow) throws -> HCXMessageRecord {
        let model = HCXMessageModel()
        model.direction = try row.decode(column: "direction", as: String.self)
        model.operation = try row.decode(column: "operation", as: String.self)
        model.apiCallID = try row.decode(column: "api_call_id", as: String.self)
        model.correlationID = try row.decode(column: "correlation_id", as: String.self)
        model.workflowID = try row.decode(column: "workflow_id", as: String?.self)
        model.senderCode = try row.decode(column: "sender_code", as: String.self)
        model.recipientCode = try row.decode(column: "recipient_code", as: String.self)
        model.$claim.id = try row.decode(column: "claim_id", as: UUID?.self)
        model.body = try row.decode(column: "body", as: String.self)
        model.acknowledgement = try row.decode(column: "acknowledgement", as: String?.self)
        model.createdAt = try row.decode(column: "created_at", as: Date.self)
        return try model.toDomain()
    }

    func toDomain() throws -> HCXMessageRecord {
        let headers = HCXHeaders(
            senderCode: senderCode, recipientCode: recipientCode, apiCallID: apiCallID, correlationID: correlationID,
            workflowID: workflowID, timestamp: "")
        return HCXMessageRecord(
            direction: try StoredDataError.require(
                HCXMessageDirection(rawValue: direction), "hcx_messages.direction", direction),
            operation: try StoredDataError.require(
                HCXOperation(rawValue: operation), "hcx_messages.operation", operation),
            headers: headers, claimID: $claim.id.map(ClaimID.init), body: body, acknowledgement: acknowledgement,
            createdAt: createdAt)
    }
}
