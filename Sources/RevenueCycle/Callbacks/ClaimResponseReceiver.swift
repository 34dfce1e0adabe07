import FHIR
import Foundation
import HCX
import Logging
import RCMCore
import Workflow

/// Takes in HCX `/claim/on_submit` callbacks: records the raw message (once per `api_call_id`),
/// then decrypts it, reads the ClaimResponse and wakes the claim's workflow with the adjudication.
///
/// The HTTP route calls ``accept(_:)`` and answers 202 at once; ``process(_:)`` runs afterwards
/// (docs DESIGN.md §5: store the raw message, acknowledge, process asynchronously).
public struct ClaimResponseReceiver: Sendable {
    let claims: any ClaimRepository
    let messages: any HCXMessageLog
    let engine: WorkflowEngine
    let privateKey: RSAPrivateKey
    let participantCode: String
    let now: @Sendable () -> Date
    let logger: Logger

    public init(
        claims: any ClaimRepository, messages: any HCXMessageLog, engine: WorkflowEngine, privateKey: RSAPrivateKey,
        participantCode: String, now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.claims = claims
        self.messages = messages
        self.engine = engine
        self.privateKey = privateKey
        self.participantCode = participantCode
        self.now = now
        self.logger = logger
    }

    /// Validates the envelope's headers and records the raw message (once per `api_call_id`).
    /// - Returns: the envelope and whether it still needs processing (`false` for a duplicate
    ///   delivery of a message already processed).
    /// - Throws: ``HCX/HCXProtocolError`` (`ERR_INVALID_PAYLOAD`, `ERR_MANDATORY_HEADER_MISSING`,
    ///   `ERR_INVALID_RECIPIENT` when not addressed to us, `ERR_INVALID_TIMESTAMP` for an unparseable
    ///   or future timestamp, `ERR_INVALID_CORRELATION_ID` when it answers
    ///   no claim we sent).
    public func accept(_ body: HCXRequestBody) async throws -> (HCXEnvelope, needsProcessing: Bool) {
        let envelope = try HCXEnvelope(body: body)
        let headers = envelope.headers
        guard headers.recipientCode == participantCode else {
            throw HCXProtocolError(
                .invalidRecipient, "x-hcx-recipient_code '\(headers.recipientCode)' is not this provider")
        }
        try headers.checkTimestamp(now: now())
        guard let request = try await messages.outbound(.claimSubmit, correlationID: headers.correlationID) else {
            throw HCXProtocolError(
                .invalidCorrelationID,
                "x-hcx-correlation_id '\(headers.correlationID)' answers no claim sent by this provider")
        }
        let raw = String(decoding: try JSONEncoder().encode(body), as: UTF8.self)
        let isNew = try await messages.record(
            HCXMessageRecord(
                direction: .inbound, operation: .claimOnSubmit, headers: headers, claimID: request.claimID, body: raw,
                createdAt: now()))
        if isNew { return (envelope, true) }
        return (envelope, !(try await messages.isProcessed(inboundAPICallID: headers.apiCallID)))
    }

    /// Processes every recorded callback that was not processed, oldest first — the work a crash
    /// between receipt and processing left behind.
    /// - Returns: how many messages were processed.
    @discardableResult
    public func processPending() async throws -> Int {
        var count = 0
        for message in try await messages.unprocessedInbound(.claimOnSubmit) {
            let body = try JSONDecoder().decode(HCXRequestBody.self, from: Data(message.body.utf8))
            do {
                try await process(try HCXEnvelope(body: body))
            } catch {
                logger.warning(
                    "recorded claim callback could not be processed",
                    metadata: ["api_call_id": "\(message.apiCallID)", "error": "\(error)"])
            }
            count += 1
        }
        return count
    }

    /// Decrypts the callback, maps its ClaimResponse to an adjudication and delivers it to the
    /// claim's workflow, then marks the message processed. A message the protocol rejects (cannot
    /// be decrypted, not a ClaimResponse) is marked processed with the reason; other failures leave
    /// it for ``processPending()``.
    /// - Throws: ``HCX/HCXProtocolError`` (`ERR_INVALID_ENCRYPTION`, `ERR_WRONG_DOMAIN_PAYLOAD`,
    ///   `ERR_INVALID_DOMAIN_PAYLOAD`) or a store error.
    public func process(_ envelope: HCXEnvelope) async throws {
        let apiCallID = envelope.headers.apiCallID
        do {
            let (claimID, adjudication) = try await adjudication(from: envelope)
            try await engine.deliver(
                eventKey: ClaimWorkflow.adjudicationEventKey(correlationID: envelope.headers.correlationID),
                payload: try JSONEncoder().encode(adjudication))
            try await messages.markProcessed(inboundAPICallID: apiCallID, at: now(), error: nil)
            logger.info(
                "claim adjudicated",
                metadata: ["claim_id": "\(claimID)", "outcome": "\(adjudication.outcome.rawValue)"])
        } catch let error as HCXProtocolError {
            try await messages.markProcessed(inboundAPICallID: apiCallID, at: now(), error: error.description)
            throw error
        }
    }

    private func adjudication(from envelope: HCXEnvelope) async throws -> (ClaimID, ClaimAdjudication) {
        let headers = envelope.headers
        guard let request = try await messages.outbound(.claimSubmit, correlationID: headers.correlationID),
            let claimID = request.claimID
        else {
            throw HCXProtocolError(.invalidCorrelationID, "no claim for correlation id \(headers.correlationID)")
        }
        let plaintext = try envelope.open(with: privateKey)
        let response: FHIRClaimResponse
        do {
            let bundle = try JSONDecoder().decode(FHIR.Bundle.self, from: plaintext)
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
