import FHIR
import Foundation
import HCX
import Logging
import RCMCore

/// Sends a stored claim to its payer over HCX `/claim/submit`, idempotently.
///
/// The envelope and its ids (`api_call_id`, `correlation_id`) are recorded in the message log
/// *before* the HTTP call; a retry after a crash re-sends the same envelope, and a gateway answer
/// `ERR_INVALID_API_CALL_ID` (duplicate api_call_id) counts as delivered (docs DESIGN.md §4).
public struct ClaimSubmitter: Sendable {
    let claims: any ClaimRepository
    let messages: any HCXMessageLog
    let hcx: HCXConnection
    let recipientCode: @Sendable (Claim) -> String
    let now: @Sendable () -> Date
    let logger: Logger

    /// Creates a submitter.
    /// - Parameter recipientCode: the payer's HCX participant code for a claim.
    public init(
        claims: any ClaimRepository, messages: any HCXMessageLog, hcx: HCXConnection,
        recipientCode: @escaping @Sendable (Claim) -> String, now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.claims = claims
        self.messages = messages
        self.hcx = hcx
        self.recipientCode = recipientCode
        self.now = now
        self.logger = logger
    }

    /// Sends the claim's submission: the recorded envelope when there is one (same ids), else a
    /// new one, recorded before it is sent.
    /// - Returns: the cycle's ids.
    /// - Throws: ``HCX/HCXClientError`` when the gateway cannot be reached or refuses the message
    ///   (a duplicate `api_call_id` is not an error), or a store error.
    public func submit(_ claimID: ClaimID) async throws -> ClaimWorkflow.Submission {
        var firstSubmission: Claim?
        let envelope = try await sendRecorded(.claimSubmit, claimID: claimID) { stored in
            firstSubmission = stored.claim
            return try FHIRJSON.data(stored.bundle())
        }
        if let claim = firstSubmission { RevenueCycleMetrics().recordSubmitted(payer: claim.payer) }
        // A resend leaves a decided or paid claim as it is (ClaimOutcome.admits).
        try await claims.setOutcome(.pending, for: claimID)
        logger.info(
            "claim submitted",
            metadata: ["claim_id": "\(claimID)", "correlation_id": "\(envelope.headers.correlationID)"])
        return ClaimWorkflow.Submission(
            correlationID: envelope.headers.correlationID, apiCallID: envelope.headers.apiCallID)
    }

    /// Asks the payer to pre-authorise the claim's services: the claim bundle with `use =
    /// preauthorization` over `/preauth/submit`, recorded before it is sent like a submission
    /// (a resend uses the recorded message and ids).
    /// - Returns: the cycle's ids (its answer comes to `/preauth/on_submit`).
    /// - Throws: as ``submit(_:)``.
    public func requestPreauthorization(_ claimID: ClaimID) async throws -> ClaimWorkflow.Submission {
        let envelope = try await sendRecorded(.preauthSubmit, claimID: claimID) { stored in
            try FHIRJSON.data(try ClaimBundle(json: stored.bundle()).withUse(.preauthorization))
        }
        logger.info(
            "pre-authorisation requested",
            metadata: ["claim_id": "\(claimID)", "correlation_id": "\(envelope.headers.correlationID)"])
        return ClaimWorkflow.Submission(
            correlationID: envelope.headers.correlationID, apiCallID: envelope.headers.apiCallID)
    }

    /// Asks the payer whether the claim's coverage is in force on its date of service: a
    /// CoverageEligibilityRequest bundle (built from the claim bundle) over
    /// `/coverageeligibility/check`, recorded before it is sent like a submission.
    /// - Returns: the cycle's ids (its answer comes to `/coverageeligibility/on_check`).
    /// - Throws: as ``submit(_:)``.
    public func requestEligibility(_ claimID: ClaimID) async throws -> ClaimWorkflow.Submission {
        let envelope = try await sendRecorded(.coverageEligibilityCheck, claimID: claimID) { stored in
            let date = now()
            return try FHIRJSON.data(
                try FHIR.Bundle.coverageEligibilityRequestBundle(
                    claimBundle: stored.bundle(), servicedDate: stored.claim.dateOfService.description,
                    id: UUID().uuidString.lowercased(), created: HCXTimestamp.string(from: date),
                    timestamp: HCXTimestamp.string(from: date)))
        }
        return ClaimWorkflow.Submission(
            correlationID: envelope.headers.correlationID, apiCallID: envelope.headers.apiCallID)
    }

    /// Sends the claim's message of `operation` exactly as recorded when there is one (same ids),
    /// else a new one — built by `resource`, sealed to the payer, recorded — then sends it; a
    /// gateway answer "duplicate api_call_id" counts as delivered.
    private func sendRecorded(
        _ operation: HCXOperation, claimID: ClaimID, resource: (StoredClaim) async throws -> Data
    ) async throws -> HCXEnvelope {
        let envelope: HCXEnvelope
        if let sent = try await messages.outbound(operation, claimID: claimID) {
            envelope = try HCXEnvelope(body: try JSONDecoder().decode(HCXRequestBody.self, from: Data(sent.body.utf8)))
        } else {
            let stored = try await claims.claim(claimID)
            let recipient = recipientCode(stored.claim)
            let headers = HCXHeaders(
                senderCode: hcx.participantCode, recipientCode: recipient,
                correlationID: UUID().uuidString.lowercased(), workflowID: claimID.rawValue.uuidString.lowercased(),
                timestamp: HCXTimestamp.string(from: now()))
            envelope = try HCXEnvelope.seal(
                try await resource(stored), headers: headers, to: try await hcx.recipientKey(recipient))
            let body = String(decoding: try JSONEncoder().encode(envelope.body), as: UTF8.self)
            _ = try await messages.record(
                HCXMessageRecord(
                    direction: .outbound, operation: operation, headers: headers, claimID: claimID, body: body,
                    createdAt: now()))
        }
        let acknowledgement: String
        do {
            let ack = try await hcx.send(envelope, operation: operation)
            acknowledgement = String(decoding: try JSONEncoder().encode(ack), as: UTF8.self)
        } catch let error as HCXClientError {
            guard case .rejected(_, .invalidAPICallID?) = error.kind else { throw error }
            // The gateway already has this api_call_id: an earlier attempt was delivered.
            acknowledgement = #"{"note":"duplicate api_call_id: delivered by an earlier attempt"}"#
        }
        try await messages.setAcknowledgement(
            acknowledgement, apiCallID: envelope.headers.apiCallID, direction: .outbound)
        return envelope
    }

    /// Where the claim's latest cycle (its submission, else its eligibility question) stands at the
    /// gateway: `/hcx/status` for its correlation id (payload: a FHIR Task asking about the claim), answered in the acknowledgement's
    /// `result` (`protocol_status` `request.queued|request.dispatched`, and on gateways that keep
    /// it, `response_status` once the payer answered).
    /// - Returns: the result, or `nil` when nothing was sent for the claim or the gateway gave none.
    /// - Throws: ``HCX/HCXClientError`` when the gateway cannot be reached or refuses the call.
    public func status(_ claimID: ClaimID) async throws -> [String: JSONValue]? {
        var latest = try await messages.outbound(.claimSubmit, claimID: claimID)
        if latest == nil { latest = try await messages.outbound(.coverageEligibilityCheck, claimID: claimID) }
        guard let sent = latest else { return nil }
        let headers = HCXHeaders(
            senderCode: hcx.participantCode, recipientCode: sent.recipientCode, correlationID: sent.correlationID,
            workflowID: sent.workflowID, timestamp: HCXTimestamp.string(from: now()))
        let task: JSONValue = .object([
            "resourceType": .string("Task"), "status": .string("requested"), "intent": .string("order"),
            "focus": .object(["reference": .string("Claim/\(claimID)")]),
        ])
        let envelope = try HCXEnvelope.seal(
            try JSONEncoder().encode(task), headers: headers, to: try await hcx.recipientKey(sent.recipientCode))
        return try await hcx.send(envelope, operation: .statusRequest).result
    }
}
