import FHIR
import Foundation
import HCX
import Logging
import RCMCore
import Workflow

/// Processes HCX `/claim/on_submit` callbacks recorded by the ``HCXInbox``: decrypts each, reads
/// the ClaimResponse and wakes the claim's workflow with the adjudication; a plain error response
/// ends the claim's wait at once with the payer's error recorded on it (rejected for a domain
/// error, failed for a technical one).
///
/// The HTTP route records and acknowledges at once; ``process(_:)`` runs afterwards (docs
/// DESIGN.md §5: store the raw message, acknowledge, process asynchronously).
public struct ClaimResponseReceiver: Sendable {
    let claims: any ClaimRepository
    let messages: any HCXMessageLog
    let engine: WorkflowEngine
    let privateKey: RSAPrivateKey
    let now: @Sendable () -> Date
    let logger: Logger

    public init(
        claims: any ClaimRepository, messages: any HCXMessageLog, engine: WorkflowEngine, privateKey: RSAPrivateKey,
        now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.claims = claims
        self.messages = messages
        self.engine = engine
        self.privateKey = privateKey
        self.now = now
        self.logger = logger
    }

    /// Processes every recorded callback that was not processed, oldest first — the work a crash
    /// between receipt and processing left behind.
    /// - Returns: how many messages were processed.
    @discardableResult
    public func processPending() async throws -> Int {
        try await InboundBacklog.process(.claimOnSubmit, messages: messages, logger: logger) { try await process($0) }
            + InboundBacklog.process(.preauthOnSubmit, messages: messages, logger: logger) {
                try await process($0, answering: .preauthSubmit)
            }
    }

    /// Decrypts the callback, maps its ClaimResponse to an adjudication and delivers it to the
    /// claim's workflow, then marks the message processed. A message the protocol rejects (cannot
    /// be decrypted, not a ClaimResponse) is marked processed with the reason; other failures leave
    /// it for ``processPending()``.
    /// - Throws: ``HCX/HCXProtocolError`` (`ERR_INVALID_ENCRYPTION`, `ERR_WRONG_DOMAIN_PAYLOAD`,
    ///   `ERR_INVALID_DOMAIN_PAYLOAD`) or a store error.
    /// - Parameter request: what the callback answers: `/claim/submit` (default) or `/preauth/submit`
    ///   (a pre-authorisation's `/preauth/on_submit`, delivered to the claim's `preauth` step).
    public func process(_ message: HCXInboundMessage, answering request: HCXOperation = .claimSubmit) async throws {
        guard let envelope = message.envelope else {
            try await processReportedError(message, answering: request)
            return
        }
        try await messages.process(inboundAPICallID: message.headers.apiCallID, now: now) {
            let (claimID, adjudication) = try await adjudication(from: envelope, answering: request)
            let correlationID = envelope.headers.correlationID
            try await engine.deliver(
                eventKey: Self.eventKey(answering: request, correlationID: correlationID),
                payload: try JSONEncoder().encode(adjudication))
            logger.info(
                "claim adjudicated",
                metadata: ["claim_id": "\(claimID)", "outcome": "\(adjudication.outcome.rawValue)"])
        }
    }

    /// A plain error (or redirect) response to a claim (`x-hcx-status: response.error` with
    /// `x-hcx-error_details`): recorded on the claim as an error finding (field
    /// `x-hcx-error_details`, the code and the payer's message), and the claim's wait ends at once
    /// (issue 19: it waited out its whole deadline with no reason stored):
    /// - a domain error (`ERR_DOMAIN_PROCESSING`, `ERR_INVALID_DOMAIN_PAYLOAD`,
    ///   `ERR_WRONG_DOMAIN_PAYLOAD`: the payer read the claim and refused its content) is the
    ///   payer's answer: the claim is `rejected`, with nothing approved, into the denial queue
    ///   (next action: correct and resubmit), and its workflow completes;
    /// - any other code is technical: the claim is `failed` and its `adjudication` step fails
    ///   without retry (``Workflow/StepFailure``), so its workflow is FAILED and resumable.
    /// Source of the codes: HCX spec v0.7.1, "Error codes" (hcx-protocol.md in the reference docs).
    private func processReportedError(_ message: HCXInboundMessage, answering request: HCXOperation) async throws {
        let headers = message.headers
        let error = message.reportedError
        let reason = error?.description ?? "redirected (x-hcx-status \(headers.status?.rawValue ?? ""))"
        if let error, let sent = try await messages.outbound(request, correlationID: headers.correlationID),
            let claimID = sent.claimID
        {
            let finding = ClaimFinding(
                .error, field: "x-hcx-error_details", "the payer answered \(error.code.rawValue): \(error.message)")
            let eventKey = Self.eventKey(answering: request, correlationID: headers.correlationID)
            if Self.domainErrors.contains(error.code) {
                let claim = try await claims.claim(claimID).claim
                try await claims.addFindings([finding], outcome: nil, for: claimID)
                let zero = Money.zero(claim.currency)
                let refusal = ClaimAdjudication(
                    outcome: .rejected,
                    lines: claim.lines.map {
                        .init(sequence: $0.sequence, submitted: $0.net, approved: zero, reasons: [error.code.rawValue])
                    }, approvedTotal: zero, disposition: "\(error.code.rawValue): \(error.message)")
                try await engine.deliver(eventKey: eventKey, payload: try JSONEncoder().encode(refusal))
            } else {
                try await claims.addFindings([finding], outcome: .failed, for: claimID)
                try await engine.deliver(
                    eventKey: eventKey,
                    payload: StepFailure(
                        kind: "payer-error", message: "the payer answered \(error.code.rawValue): \(error.message)",
                        retryable: false
                    ).eventPayload)
            }
            logger.warning(
                "payer answered a claim with an error", metadata: ["claim_id": "\(claimID)", "error": "\(reason)"])
        }
        try await messages.markProcessed(inboundAPICallID: headers.apiCallID, at: now(), error: reason)
    }

    /// The event a claim's workflow waits on for the answer to `request` (`/claim/submit` or
    /// `/preauth/submit`) of the cycle `correlationID`.
    static func eventKey(answering request: HCXOperation, correlationID: String) -> String {
        request == .preauthSubmit
            ? ClaimWorkflow.preauthorizationEventKey(correlationID: correlationID)
            : ClaimWorkflow.adjudicationEventKey(correlationID: correlationID)
    }

    /// The HCX error codes by which a payer refuses a claim's content rather than its delivery.
    static let domainErrors: Set<HCXErrorCode> = [.domainProcessing, .invalidDomainPayload, .wrongDomainPayload]

    private func adjudication(from envelope: HCXEnvelope, answering operation: HCXOperation) async throws -> (
        ClaimID, ClaimAdjudication
    ) {
        let headers = envelope.headers
        guard let request = try await messages.outbound(operation, correlationID: headers.correlationID),
            let claimID = request.claimID
        else {
            throw HCXProtocolError(.invalidCorrelationID, "no claim for correlation id \(headers.correlationID)")
        }
        let plaintext = try envelope.open(with: privateKey)
        let response: FHIRClaimResponse
        do {
            let bundle = try FHIR.Bundle(jsonData: plaintext)
            guard let entry = bundle.firstEntry(ofType: "ClaimResponse") else {
                throw HCXProtocolError(.wrongDomainPayload, "the callback bundle has no ClaimResponse")
            }
            response = try entry.resource(as: FHIRClaimResponse.self)
        } catch let error as HCXProtocolError {
            throw error
        } catch {
            throw HCXProtocolError(.invalidDomainPayload, "the callback is not a ClaimResponse bundle: \(error)")
        }
        let stored = try await claims.claim(claimID)
        do {
            return (claimID, try response.toAdjudication(of: stored.claim))
        } catch {
            throw HCXProtocolError(.invalidDomainPayload, "\(error)")
        }
    }
}
