import Foundation
import HCX
import Logging
import RCMCore

/// RCM's HCX inbox: every message arriving on a provider route (docs reference/hcx-protocol.md
/// §1.4) is checked and recorded once per `api_call_id` before it is acknowledged (docs DESIGN.md
/// §5). Claim callbacks are processed by ``ClaimResponseReceiver``; the other cycles' messages stay
/// recorded, unprocessed, for the handlers those cycles bring.
public struct HCXInbox: Sendable {
    /// A message taken in.
    public struct Accepted: Sendable {
        public let operation: HCXOperation
        public let message: HCXInboundMessage
        /// The claim it concerns, when it answers one of our claim requests.
        public let claimID: ClaimID?
        /// `false` for a repeat of a message already processed.
        public let needsProcessing: Bool
    }

    let messages: any HCXMessageLog
    let participantCode: String
    let now: @Sendable () -> Date

    public init(messages: any HCXMessageLog, participantCode: String, now: @escaping @Sendable () -> Date) {
        self.messages = messages
        self.participantCode = participantCode
        self.now = now
    }

    /// Checks and records a message that arrived on `operation`'s route.
    /// - Throws: ``HCX/HCXProtocolError`` — `ERR_INVALID_PAYLOAD` and the header codes (see
    ///   ``HCX/HCXInboundMessage``), `ERR_INVALID_RECIPIENT` when not addressed to us,
    ///   `ERR_INVALID_TIMESTAMP`, `ERR_INVALID_STATUS` for a callback without a response status,
    ///   `ERR_INVALID_CORRELATION_ID` for a callback that answers no request of ours.
    public func accept(_ operation: HCXOperation, body: Data) async throws -> Accepted {
        let message = try HCXInboundMessage(body: body)
        let headers = message.headers
        guard headers.recipientCode == participantCode else {
            throw HCXProtocolError(
                .invalidRecipient, "x-hcx-recipient_code '\(headers.recipientCode)' is not this provider")
        }
        try headers.checkTimestamp(now: now())
        var claimID: ClaimID?
        if let request = operation.request {
            guard let status = headers.status, status.rawValue.hasPrefix("response.") else {
                throw HCXProtocolError(.invalidStatus, "x-hcx-status must be a response status on \(operation.path)")
            }
            guard let sent = try await messages.outbound(request, correlationID: headers.correlationID) else {
                throw HCXProtocolError(
                    .invalidCorrelationID,
                    "x-hcx-correlation_id '\(headers.correlationID)' answers no \(request.path) sent by this provider")
            }
            claimID = sent.claimID
        }
        let isNew = try await messages.record(
            HCXMessageRecord(
                direction: .inbound, operation: operation, headers: headers, claimID: claimID, body: message.rawBody,
                createdAt: now()))
        var needsProcessing = isNew
        if !isNew { needsProcessing = !(try await messages.isProcessed(inboundAPICallID: headers.apiCallID)) }
        return Accepted(operation: operation, message: message, claimID: claimID, needsProcessing: needsProcessing)
    }
}
