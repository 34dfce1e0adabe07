import Fluent
import Foundation
import HCX
import RCMCore
import RevenueCycle

/// ``RevenueCycle/HCXMessageLog`` over Fluent (`hcx_messages`).
struct FluentHCXMessageLog: HCXMessageLog {
    let database: any Database

    func record(_ message: HCXMessageRecord) async throws -> Bool {
        try await DatabaseMetrics.measure("hcx_messages.record") {
            let model = HCXMessageModel()
            model.direction = message.direction.rawValue
            model.operation = message.operation.rawValue
            model.apiCallID = message.apiCallID
            model.correlationID = message.correlationID
            model.workflowID = message.workflowID
            model.senderCode = message.senderCode
            model.recipientCode = message.recipientCode
            model.$claim.id = message.claimID?.rawValue
            model.body = message.body
            model.acknowledgement = message.acknowledgement
            model.createdAt = message.createdAt
            do {
                try await ChangeTransaction.savepoint(on: database) { try await model.create(on: $0) }
                return true
            } catch  where (error as? any DatabaseError)?.isConstraintFailure == true {
                return false
            }
        }
    }

    func setAcknowledgement(_ acknowledgement: String, apiCallID: String, direction: HCXMessageDirection) async throws {
        try await DatabaseMetrics.measure("hcx_messages.setAcknowledgement") {
            try await HCXMessageModel.query(on: database)
                .filter(\.$direction == direction.rawValue)
                .filter(\.$apiCallID == apiCallID)
                .set(\.$acknowledgement, to: acknowledgement)
                .update()
        }
    }

    func unprocessedInbound(_ operation: HCXOperation) async throws -> [HCXMessageRecord] {
        try await DatabaseMetrics.measure("hcx_messages.unprocessedInbound") {
            try await inbound()
                .filter(\.$operation == operation.rawValue)
                .filter(\.$processedAt == nil)
                .sort(\.$createdAt)
                .all()
                .map { try $0.toDomain() }
        }
    }

    func isProcessed(inboundAPICallID: String) async throws -> Bool {
        try await DatabaseMetrics.measure("hcx_messages.isProcessed") {
            try await inbound().filter(\.$apiCallID == inboundAPICallID).first()?.processedAt != nil
        }
    }

    func markProcessed(inboundAPICallID: String, at date: Date, error: String?) async throws {
        try await DatabaseMetrics.measure("hcx_messages.markProcessed") {
            try await inbound()
                .filter(\.$apiCallID == inboundAPICallID)
                .set(\.$processedAt, to: date)
                .set(\.$processingError, to: error)
                .update()
        }
    }

    private func inbound() -> QueryBuilder<HCXMessageModel> {
        HCXMessageModel.query(on: database).filter(\.$direction == HCXMessageDirection.inbound.rawValue)
    }

    func outbound(_ operation: HCXOperation, claimID: ClaimID) async throws -> HCXMessageRecord? {
        try await DatabaseMetrics.measure("hcx_messages.outbound") {
            try await HCXMessageModel.query(on: database)
                .filter(\.$direction == HCXMessageDirection.outbound.rawValue)
                .filter(\.$operation == operation.rawValue)
                .filter(\.$claim.$id == claimID.rawValue)
                .sort(\.$createdAt)
                .first()
                .map { try $0.toDomain() }
        }
    }

    func outbound(_ operation: HCXOperation, correlationID: String) async throws -> HCXMessageRecord? {
        try await DatabaseMetrics.measure("hcx_messages.outbound") {
            try await HCXMessageModel.query(on: database)
                .filter(\.$direction == HCXMessageDirection.outbound.rawValue)
                .filter(\.$operation == operation.rawValue)
                .filter(\.$correlationID == correlationID)
                .sort(\.$createdAt)
                .first()
                .map { try $0.toDomain() }
        }
    }
}

extension HCXMessageModel {
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
