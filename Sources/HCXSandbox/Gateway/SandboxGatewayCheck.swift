import Foundation
import HCX

/// The gateway's checks on one protocol call, in the order the Swasth gateway applies them
/// (hcx-platform `api-gateway` `BaseRequest`, `JSONRequest`, `rbac.yaml`; docs
/// reference/hcx-protocol.md §1.4, §2.2, §4.1). Each failure is an ``HCXProtocolError`` with the
/// gateway's code; duplicate api_call_ids are refused when the message is stored.
struct SandboxGatewayCheck: Sendable {
    let registry: SandboxRegistry
    let store: SandboxStore
    /// Allowed clock difference for timestamps ahead of ours, in seconds.
    let allowedSkewSeconds: TimeInterval

    /// The validated message and its participants.
    struct Accepted: Sendable {
        let message: HCXInboundMessage
        let sender: SandboxParticipant
        let recipient: SandboxParticipant
    }

    /// Checks a call.
    /// - Parameter caller: the participant code of the bearer token.
    func check(operation: HCXOperation, body: Data, caller: String, now: Date) async throws -> Accepted {
        let message: HCXInboundMessage
        do {
            message = try HCXInboundMessage(body: body)
        } catch let error as HCXProtocolError where error.code == .mandatoryHeaderMissing {
            // The running gateway's variant of the code (docs reference/hcx-protocol.md §4.2).
            throw HCXProtocolError(.mandatoryHeaderFieldMissing, error.message)
        }
        if message.envelope == nil, !operation.isCallback {
            throw HCXProtocolError(.invalidPayload, "a request must carry an encrypted payload")
        }
        let headers = message.headers
        guard let sender = await registry.participant(headers.senderCode), sender.isActive else {
            throw HCXProtocolError(
                .invalidSender, "x-hcx-sender_code '\(headers.senderCode)' is not an active participant")
        }
        guard headers.senderCode == caller else {
            throw HCXProtocolError(
                .accessDenied, "caller id '\(caller)' and sender code '\(headers.senderCode)' do not match")
        }
        guard let recipient = await registry.participant(headers.recipientCode), recipient.isActive else {
            throw HCXProtocolError(
                .invalidRecipient, "x-hcx-recipient_code '\(headers.recipientCode)' is not an active participant")
        }
        guard sender.code != recipient.code else {
            throw HCXProtocolError(.invalidSenderAndRecipient, "sender and recipient are the same participant")
        }
        guard Self.mayCall(sender, operation) else {
            throw HCXProtocolError(
                .accessDenied, "a participant with roles \(sender.roles) may not call \(operation.path)")
        }
        try headers.checkTimestamp(now: now, allowedSkewSeconds: allowedSkewSeconds)
        try checkStatus(headers.status, operation: operation)
        // The api_call_id is checked before the cycle rules so that a repeated call is always
        // answered ERR_INVALID_API_CALL_ID; it is enforced atomically when the message is stored.
        guard try await store.counts(apiCallID: headers.apiCallID).accepted == 0 else {
            throw HCXProtocolError(.invalidAPICallID, "a request exists with the same api call id \(headers.apiCallID)")
        }
        let cycle = try await store.messages(correlationID: headers.correlationID)
        if let request = operation.request {
            // An on_* must answer an open request sent the other way.
            guard
                cycle.contains(where: {
                    $0.operation == request && $0.senderCode == headers.recipientCode
                        && $0.recipientCode == headers.senderCode
                })
            else {
                throw HCXProtocolError(
                    .invalidCorrelationID,
                    "no open \(request.path) request with correlation id \(headers.correlationID)")
            }
            if cycle.contains(where: { $0.operation == operation && $0.status == .responseComplete }) {
                throw HCXProtocolError(
                    .invalidCorrelationID, "the cycle \(headers.correlationID) is closed: a complete response was sent")
            }
        } else if operation != .statusRequest, !cycle.isEmpty {
            throw HCXProtocolError(
                .invalidCorrelationID, "correlation id \(headers.correlationID) is already used by another request")
        }
        if let first = cycle.first(where: { $0.workflowID != nil }), first.workflowID != headers.workflowID {
            throw HCXProtocolError(
                .invalidWorkflowID,
                "x-hcx-workflow_id must repeat '\(first.workflowID ?? "")' of the cycle's earlier messages")
        }
        return Accepted(message: message, sender: sender, recipient: recipient)
    }

    /// Requests may carry only `request.queued|dispatched`; callbacks must carry a `response.*` status.
    private func checkStatus(_ status: HCXStatus?, operation: HCXOperation) throws {
        if operation.isCallback {
            guard let status, status.rawValue.hasPrefix("response.") else {
                throw HCXProtocolError(.invalidStatus, "an \(operation.path) must carry x-hcx-status response.*")
            }
        } else if let status, !status.rawValue.hasPrefix("request.") {
            throw HCXProtocolError(.invalidStatus, "a request may not carry x-hcx-status \(status.rawValue)")
        }
    }

    /// The gateway's RBAC: providers call the cycle requests, `paymentnotice/on_request`,
    /// `communication/on_request` and status; payers the other side (hcx-platform `rbac.yaml`).
    static func mayCall(_ participant: SandboxParticipant, _ operation: HCXOperation) -> Bool {
        let providerCalls: Set<HCXOperation> = [
            .coverageEligibilityCheck, .preauthSubmit, .predeterminationSubmit, .claimSubmit,
            .paymentNoticeOnRequest, .communicationOnRequest, .statusRequest,
        ]
        if providerCalls.contains(operation) { return participant.isProvider }
        return participant.isPayer
    }
}
