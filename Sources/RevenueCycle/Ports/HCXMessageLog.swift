import Foundation
import HCX
import RCMCore

/// The store of raw HCX messages in and out (the outbox/inbox). Implemented over Fluent in
/// `RCMServer`.
public protocol HCXMessageLog: Sendable {
    /// Records a message.
    /// - Returns: `false` when a message with the same direction and `api_call_id` exists (a
    ///   duplicate delivery); the first one is kept.
    func record(_ message: HCXMessageRecord) async throws -> Bool

    /// Stores the acknowledgement (or error) a sent message received.
    func setAcknowledgement(_ acknowledgement: String, apiCallID: String, direction: HCXMessageDirection) async throws

    /// The first outbound message of `operation` for a claim, if any (used to resend with the same
    /// ids after a crash).
    func outbound(_ operation: HCXOperation, claimID: ClaimID) async throws -> HCXMessageRecord?

    /// Inbound messages of `operation` not yet processed, oldest first.
    func unprocessedInbound(_ operation: HCXOperation) async throws -> [HCXMessageRecord]

    /// Whether the inbound message with this `api_call_id` has been processed.
    func isProcessed(inboundAPICallID: String) async throws -> Bool

    /// Marks an inbound message processed, with the reason when processing failed for good.
    func markProcessed(inboundAPICallID: String, at date: Date, error: String?) async throws

    /// The outbound message that opened the cycle `correlationID` for `operation`, if any.
    func outbound(_ operation: HCXOperation, correlationID: String) async throws -> HCXMessageRecord?
}
