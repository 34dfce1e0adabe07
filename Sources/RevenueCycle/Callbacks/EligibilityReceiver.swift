import FHIR
import Foundation
import HCX
import Logging
import RCMCore
import Workflow

/// Processes HCX `/coverageeligibility/on_check` answers: decrypts each, reads the
/// CoverageEligibilityResponse, records it (`eligibility_checks`) and wakes the claim's workflow
/// with the result. A plain error response is recorded as "not confirmed" with the payer's error.
public struct EligibilityReceiver: Sendable {
    let messages: any HCXMessageLog
    let checks: any EligibilityLog
    let engine: WorkflowEngine
    let privateKey: RSAPrivateKey
    let now: @Sendable () -> Date
    let logger: Logger

    public init(
        messages: any HCXMessageLog, checks: any EligibilityLog, engine: WorkflowEngine, privateKey: RSAPrivateKey,
        now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.messages = messages
        self.checks = checks
        self.engine = engine
        self.privateKey = privateKey
        self.now = now
        self.logger = logger
    }

    /// Processes recorded answers not processed yet (left by a crash), oldest first.
    @discardableResult
    public func processPending() async throws -> Int {
        try await InboundBacklog.process(.coverageEligibilityOnCheck, messages: messages, logger: logger) {
            try await process($0)
        }
    }

    /// Records one answer and delivers it to the waiting claim workflow.
    /// - Throws: ``HCX/HCXProtocolError`` for an answer to no request of ours or an unreadable one.
    public func process(_ message: HCXInboundMessage) async throws {
        let headers = message.headers
        try await messages.process(inboundAPICallID: headers.apiCallID, now: now) {
            guard
                let request = try await messages.outbound(
                    .coverageEligibilityCheck, correlationID: headers.correlationID),
                let claimID = request.claimID
            else {
                throw HCXProtocolError(
                    .invalidCorrelationID, "no eligibility request with correlation id \(headers.correlationID)")
            }
            let result: EligibilityResult
            if let envelope = message.envelope {
                result = try Self.result(from: try envelope.open(with: privateKey))
            } else {
                let error = message.reportedError
                result = EligibilityResult(
                    inForce: false, outcome: "error", disposition: error?.message ?? "the payer answered with an error",
                    benefits: [], errors: [error?.code.rawValue ?? "ERR_UNSPECIFIED"])
            }
            try await checks.record(result, claimID: claimID, correlationID: headers.correlationID, at: now())
            try await engine.deliver(
                eventKey: ClaimWorkflow.eligibilityEventKey(correlationID: headers.correlationID),
                payload: try JSONEncoder().encode(result))
            logger.info(
                "eligibility answered", metadata: ["claim_id": "\(claimID)", "in_force": "\(result.inForce)"])
        }
    }

    static func result(from data: Data) throws -> EligibilityResult {
        do {
            let bundle = try FHIR.Bundle(jsonData: data)
            guard let entry = bundle.firstEntry(ofType: "CoverageEligibilityResponse") else {
                throw HCXProtocolError(.wrongDomainPayload, "the answer has no CoverageEligibilityResponse")
            }
            return try entry.resource(as: CoverageEligibilityResponse.self).toEligibilityResult()
        } catch let error as HCXProtocolError {
            throw error
        } catch {
            throw HCXProtocolError(
                .invalidDomainPayload, "the answer is not a CoverageEligibilityResponse bundle: \(error)")
        }
    }
}
