import Foundation
import HCX
import RCMCore

/// One HCX message as stored: the raw envelope and its header ids.
public struct HCXMessageRecord: Sendable, Hashable {
    public var direction: HCXMessageDirection
    public var operation: HCXOperation
    public var apiCallID: String
    public var correlationID: String
    public var workflowID: String?
    public var senderCode: String
    public var recipientCode: String
    /// The claim the message concerns, when known.
    public var claimID: ClaimID?
    /// The raw body as sent or received (`{"payload": "<jwe>"}` or a plain protocol response).
    public var body: String
    /// The gateway's acknowledgement or error, once known (JSON text).
    public var acknowledgement: String?
    public var createdAt: Date

    public init(
        direction: HCXMessageDirection, operation: HCXOperation, headers: HCXHeaders, claimID: ClaimID?,
        body: String, acknowledgement: String? = nil, createdAt: Date
    ) {
        self.direction = direction
        self.operation = operation
        self.apiCallID = headers.apiCallID
        self.correlationID = headers.correlationID
        self.workflowID = headers.workflowID
        self.senderCode = headers.senderCode
        self.recipientCode = headers.recipientCode
        self.claimID = claimID
        self.body = body
        self.acknowledgement = acknowledgement
        self.createdAt = createdAt
    }
}
