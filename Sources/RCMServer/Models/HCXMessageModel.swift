import Fluent
import Foundation

/// A row of `hcx_messages`: one raw HCX envelope sent or received, with its header ids.
final class HCXMessageModel: Model, @unchecked Sendable {
    static let schema = "hcx_messages"

    @ID(key: .id) var id: UUID?
    /// `outbound` or `inbound`.
    @Field(key: "direction") var direction: String
    /// The HCX path, e.g. `/claim/submit`.
    @Field(key: "operation") var operation: String
    @Field(key: "api_call_id") var apiCallID: String
    @Field(key: "correlation_id") var correlationID: String
    @OptionalField(key: "workflow_id") var workflowID: String?
    @Field(key: "sender_code") var senderCode: String
    @Field(key: "recipient_code") var recipientCode: String
    @OptionalParent(key: "claim_id") var claim: ClaimModel?
    /// The raw HTTP body.
    @Field(key: "body") var body: String
    /// The acknowledgement received for an outbound message (JSON text).
    @OptionalField(key: "acknowledgement") var acknowledgement: String?
    @Field(key: "created_at") var createdAt: Date
    /// When an inbound message was processed; `nil` until then.
    @OptionalField(key: "processed_at") var processedAt: Date?
    /// Why processing an inbound message failed for good, if it did.
    @OptionalField(key: "processing_error") var processingError: String?

    init() {}
}
