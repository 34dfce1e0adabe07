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

    /// Validates the envelope's headers and records the raw message.
    /// - Returns: the envelope and whether it is new (`false`: a duplicate delivery, already recorded).
    /// - Throws: ``HCX/HCXProtocolError`` (`ERR_INVALID_PAYLOAD`, `ERR_MANDATORY_HEADER_MISSING`,
    ///   `ERR_INVALID_RECIPIENT` when not addressed to us, `ERR_INVALID_CORRELATION_ID` when it answers
    ///   no claim we sent).
    public func accept(_ body: HCXRequestBody) async throws -> (HCXEnvelope, isNew: Bool) {
        let envelope = try HCXEnvelope(body: body)
        let headers = envelope.headers
        guard headers.recipientCode == participantCode else {
            throw HCXProtocolError(
                .invalidRecipient, "x-hcx-recipient_code '\(headers.recipientCode)' is not this provider")
        }
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
        return (envelope, isNew)
    }

    /// Decrypts the callback, maps its ClaimResponse to an adjudication and delivers it to the
    /// claim's workflow.
    /// - Throws: ``HCX/HCXProtocolError`` (`ERR_INVALID_ENCRYPTION`, `ERR_WRONG_DOMAIN_PAYLOAD`,
    ///   `ERR_INVALID_DOMAIN_PAYLOAD`) or a store error.
    public func process(_ envelope: HCXEnvelope) async throws {
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
        let adjudication: ClaimAdjudication
        do {
            adjudication = try response.toAdjudication(of: stored.claim)
        } catch {
            throw HCXProtocolError(.invalidDomainPayload, "\(error)")
        }
        try await engine.deliver(
            eventKey: ClaimWorkflow.adjudicationEventKey(correlationID: headers.correlationID),
            payload: try JSONEncoder().encode(adjudication))
        logger.info(
            "claim adjudicated",
            metadata: ["claim_id": "\(claimID)", "outcome": "\(adjudication.outcome.rawValue)"])
    }
}
