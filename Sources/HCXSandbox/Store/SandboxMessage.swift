import Foundation
import HCX

/// A message the sandbox gateway accepted, with its delivery state.
public struct SandboxMessage: Sendable, Hashable {
    /// Where a message is on its way to the recipient.
    public enum Delivery: String, Sendable, Codable {
        /// Accepted, not delivered yet (re-dispatched when the sandbox restarts).
        case pending
        /// The recipient answered 2xx.
        case delivered
        /// Every attempt failed; the sender was told `ERR_RECIPIENT_NOT_AVAILABLE`.
        case failed
        /// Dropped by fault injection.
        case dropped
    }

    public let apiCallID: String
    public let correlationID: String
    public let workflowID: String?
    public let operation: HCXOperation
    public let senderCode: String
    public let recipientCode: String
    public let status: HCXStatus?
    /// The request body exactly as received.
    public let body: String
    public let receivedAt: Date
    public var delivery: Delivery
    /// Successful deliveries (more than one when a duplicate was injected).
    public var deliveries: Int

    public init(
        apiCallID: String, correlationID: String, workflowID: String?, operation: HCXOperation, senderCode: String,
        recipientCode: String, status: HCXStatus?, body: String, receivedAt: Date, delivery: Delivery = .pending,
        deliveries: Int = 0
    ) {
        self.apiCallID = apiCallID
        self.correlationID = correlationID
        self.workflowID = workflowID
        self.operation = operation
        self.senderCode = senderCode
        self.recipientCode = recipientCode
        self.status = status
        self.body = body
        self.receivedAt = receivedAt
        self.delivery = delivery
        self.deliveries = deliveries
    }

    /// A message built from validated headers.
    init(headers: HCXHeaders, operation: HCXOperation, body: String, receivedAt: Date) {
        self.init(
            apiCallID: headers.apiCallID, correlationID: headers.correlationID, workflowID: headers.workflowID,
            operation: operation, senderCode: headers.senderCode, recipientCode: headers.recipientCode,
            status: headers.status, body: body, receivedAt: receivedAt)
    }
}
