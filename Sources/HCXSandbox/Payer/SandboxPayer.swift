import FHIR
import Foundation
import HCX
import Logging
import RCMCore

/// The sandbox payer: receives what the gateway delivers, decides by ``SandboxRules``, and
/// answers through the gateway like any HCX participant — encrypted `on_*` callbacks sent with
/// its own access token, later PaymentNotices for approved claims.
///
/// Every request is recorded before it is acknowledged and marked answered only after the
/// gateway accepted the answer; adjudications are kept per correlation id, so a restart answers
/// what is left without deciding (or consuming the sum insured) twice.
actor SandboxPayer {
    let payerCode: String
    let payerKey: RSAPrivateKey
    let rules: SandboxRules
    let store: SandboxStore
    let registry: SandboxRegistry
    let verifier: HCXGatewayAuthenticator
    let gateway: HCXClient
    let tokens: HCXTokenManager
    let logger: Logger
    private var work: [Task<Void, Never>] = []
    /// The payer's office time zone, for payment dates and eligibility asked without a date.
    static let timeZone = TimeZone(identifier: "Asia/Kolkata") ?? .gmt

    init(
        payerCode: String, payerKey: RSAPrivateKey, rules: SandboxRules, store: SandboxStore,
        registry: SandboxRegistry, verifier: HCXGatewayAuthenticator, gateway: HCXClient, tokens: HCXTokenManager,
        logger: Logger
    ) {
        self.payerCode = payerCode
        self.payerKey = payerKey
        self.rules = rules
        self.store = store
        self.registry = registry
        self.verifier = verifier
        self.gateway = gateway
        self.tokens = tokens
        self.logger = logger
    }

    /// Handles one delivery from the gateway: checks the gateway's JWT, records the message and
    /// acknowledges it; the answer follows asynchronously.
    /// - Throws: ``HCXProtocolError`` for a missing or bad token or an unreadable body.
    func receive(operation: HCXOperation, body: Data, authorization: String?) async throws -> HCXHeaders {
        _ = try await verifier.verify(authorization: authorization)
        let message = try HCXInboundMessage(body: body)
        let headers = message.headers
        if try await store.receiveAtPayer(
            apiCallID: headers.apiCallID, correlationID: headers.correlationID, operation: operation,
            body: message.rawBody, at: Date())
        {
            start(operation, message)
        }
        return headers
    }

    /// Answers requests received before an interruption and schedules unsent payments.
    func resume() async throws {
        for (operation, body) in try await store.unansweredPayerRequests() {
            guard let message = try? HCXInboundMessage(body: Data(body.utf8)) else { continue }
            start(operation, message)
        }
        for pending in try await store.unsentMessages() {
            scheduleSend(pending.message, id: pending.id, dueAt: pending.dueAt)
        }
    }

    /// Waits for every answer and payment started so far.
    func waitForWork() async {
        while !work.isEmpty {
            let pending = work
            work = []
            for task in pending { await task.value }
        }
    }

    /// Cancels work in flight (shutdown); it resumes at the next start.
    func cancelWork() {
        for task in work { task.cancel() }
        work = []
    }

    private func start(_ operation: HCXOperation, _ message: HCXInboundMessage) {
        work.append(Task { await self.answer(operation, message) })
    }

    private func answer(_ operation: HCXOperation, _ message: HCXInboundMessage) async {
        let headers = message.headers
        do {
            switch operation {
            case .coverageEligibilityCheck:
                try await answerEligibility(message)
            case .claimSubmit, .preauthSubmit, .predeterminationSubmit:
                guard try await answerClaim(message, operation: operation) else { return }
            case .communicationOnRequest:
                // The provider answered a request for information: decide the claim it was about.
                if let claimAPICallID = try await store.markAnswered(
                    outboxCorrelationID: headers.correlationID, at: Date()),
                    let claim = try await store.payerRequest(apiCallID: claimAPICallID),
                    let claimMessage = try? HCXInboundMessage(body: Data(claim.body.utf8))
                {
                    start(claim.operation, claimMessage)
                }
            default:
                // paymentnotice/on_request, errors about our own messages: recorded, nothing to answer.
                break
            }
            try await store.markAnswered(apiCallID: headers.apiCallID, at: Date())
        } catch is CancellationError {
            return
        } catch let error as HCXProtocolError {
            await answerWithError(error, to: message, operation: operation)
        } catch {
            // The gateway could not be reached: the request stays unanswered for the next start.
            logger.warning(
                "sandbox payer could not answer",
                metadata: ["correlation_id": "\(headers.correlationID)", "error": "\(error)"])
        }
    }

    // MARK: Eligibility

    private func answerEligibility(_ message: HCXInboundMessage) async throws {
        let plaintext = try open(message)
        let bundle = try Self.bundle(plaintext)
        guard let entry = bundle.firstEntry(ofType: "CoverageEligibilityRequest") else {
            throw HCXProtocolError(.wrongDomainPayload, "the bundle holds no CoverageEligibilityRequest")
        }
        let request: CoverageEligibilityRequest
        do {
            request = try entry.resource(as: CoverageEligibilityRequest.self)
        } catch {
            throw HCXProtocolError(.invalidDomainPayload, "CoverageEligibilityRequest: \(FHIRError.describe(error))")
        }
        let focal = request.insurance?.first(where: { $0.focal == true }) ?? request.insurance?.first
        let subscriberID = Self.subscriberID(coverage: focal?.coverage.reference, in: bundle)
        let serviceDate =
            (request.servicedDate ?? request.servicedPeriod?.start).flatMap { try? ServiceDate(iso8601: $0) }
            ?? ServiceDate(Date(), in: Self.timeZone)
        let result = try await eligibility(subscriberID: subscriberID, on: serviceDate)
        let now = Date()
        let response = CoverageEligibilityResponse(
            answering: request, result: result, id: UUID().uuidString.lowercased(),
            created: HCXTimestamp.string(from: now))
        let responseBundle = FHIR.Bundle.hcxCollection(
            profile: FHIR.Bundle.coverageEligibilityResponseBundleProfile, timestamp: HCXTimestamp.string(from: now),
            focal: try JSONValue(encoding: response))
        try await send(
            try FHIRJSON.data(responseBundle), operation: .coverageEligibilityOnCheck,
            headers: message.headers.response(status: .responseComplete, timestamp: HCXTimestamp.string(from: now)))
    }

    /// The member's cover on a date: in force or why not, the sum insured and what is used.
    func eligibility(subscriberID: String?, on date: ServiceDate) async throws -> EligibilityResult {
        let currency = try CurrencyCode(rules.currency)
        guard let subscriberID, let member = rules.member(subscriberID) else {
            return EligibilityResult(
                inForce: false, outcome: "complete", disposition: "No member with this subscriber id",
                benefits: [], errors: [SandboxReason.memberUnknown])
        }
        let problem = SandboxAdjudicator(rules: rules).coverageProblem(member, on: date)
        let used = try await store.used(subscriberID: member.subscriberID, currency: currency)
        var benefits = [
            EligibilityResult.Benefit(
                category: "30", type: "benefit", allowed: member.sumInsured.money(currency), used: used)
        ]
        if let deductible = member.deductible {
            benefits.append(.init(category: "30", type: "deductible", allowed: deductible.money(currency), used: nil))
        }
        return EligibilityResult(
            inForce: problem == nil, outcome: "complete",
            disposition: problem.map { "Not in force: \($0)" } ?? "In force on \(date)", benefits: benefits,
            errors: problem.map { [$0] } ?? [])
    }

    // MARK: Claims

    /// Answers a claim, pre-authorisation or pre-determination.
    /// - Returns: `false` when the answer waits for information the payer asked the provider for.
    private func answerClaim(_ message: HCXInboundMessage, operation: HCXOperation) async throws -> Bool {
        let headers = message.headers
        let responseBundle: String
        if let stored = try await store.adjudication(correlationID: headers.correlationID) {
            responseBundle = stored
        } else {
            let plaintext = try open(message)
            let results: [Result<ClaimBundle, FHIRError>]
            do {
                results = try ClaimBundle.read(plaintext)
            } catch let error as FHIRError {
                throw HCXProtocolError(.invalidDomainPayload, error.description)
            }
            guard results.count == 1, let first = results.first else {
                throw HCXProtocolError(.invalidDomainPayload, "the payload must be one claim bundle")
            }
            let claimBundle: ClaimBundle
            let claim: Claim
            do {
                claimBundle = try first.get()
                claim = try claimBundle.claim.toDomain()
            } catch let error as FHIRError {
                throw HCXProtocolError(.wrongDomainPayload, error.description)
            } catch {
                throw HCXProtocolError(.invalidDomainPayload, "\(error)")
            }
            if try await awaitsInformation(claimBundle.claim, claim: claim, headers: headers) { return false }
            let bundle = try FHIR.Bundle(json: claimBundle.bundle)
            let focal =
                claimBundle.claim.insurance?.first(where: { $0.focal == true }) ?? claimBundle.claim.insurance?.first
            let subscriberID = Self.subscriberID(coverage: focal?.coverage?.reference, in: bundle)
            let preAuthRefs = claimBundle.claim.insurance?.flatMap { $0.preAuthRef ?? [] } ?? []
            var used = Money.zero(claim.currency)
            if let subscriberID { used = try await store.used(subscriberID: subscriberID, currency: claim.currency) }
            let decision: SandboxAdjudicator.Decision
            do {
                decision = try SandboxAdjudicator(rules: rules).adjudicate(
                    claim, subscriberID: subscriberID, preAuthRefs: preAuthRefs, usedBefore: used)
            } catch let error as SandboxRulesError {
                throw HCXProtocolError(.domainProcessing, error.description)
            }
            let now = Date()
            var response = FHIRClaimResponse(
                answering: claimBundle.claim, adjudication: decision.adjudication, id: UUID().uuidString.lowercased(),
                created: HCXTimestamp.string(from: now))
            if operation == .preauthSubmit, !decision.adjudication.approvedTotal.isZero {
                response.preAuthRef = "PA-\(headers.correlationID.prefix(8).uppercased())"
            }
            responseBundle = String(
                decoding: try FHIRJSON.data(
                    try FHIR.Bundle.claimResponseBundle(response, timestamp: HCXTimestamp.string(from: now))),
                as: UTF8.self)
            // Kept once per cycle: a restart re-sends this decision instead of deciding again.
            try await store.recordAdjudication(
                correlationID: headers.correlationID, subscriberID: decision.subscriberID, consumed: decision.consumed,
                response: responseBundle)
            if operation == .claimSubmit, rules.payment.send, !decision.adjudication.approvedTotal.isZero {
                try await preparePayment(
                    for: claimBundle.claim, response: response, amount: decision.adjudication.approvedTotal,
                    headers: headers, now: now)
            }
        }
        guard let callback = operation.callback else { return true }
        try await send(
            Data(responseBundle.utf8), operation: callback,
            headers: headers.response(status: .responseComplete, timestamp: HCXTimestamp.string(from: Date())))
        return true
    }

    /// Whether the claim waits for information: a line's code has `request_information` and the
    /// provider has not answered the CommunicationRequest yet (sent now if it was not before).
    private func awaitsInformation(_ fhirClaim: FHIRClaim, claim: Claim, headers: HCXHeaders) async throws -> Bool {
        let codes = claim.lines.map(\.service.code).filter { rules.service($0)?.requestInformation == true }
        guard !codes.isEmpty else { return false }
        let id = "INFO-\(headers.apiCallID)"
        if let answered = try await store.outboxAnswered(id: id) { return !answered }
        let request = CommunicationRequest(
            askingAbout: fhirClaim, reason: "Supporting documents for \(codes.joined(separator: ", "))",
            id: UUID().uuidString.lowercased(), authoredOn: HCXTimestamp.string(from: Date()))
        let message = try SandboxOutgoingMessage(
            operation: .communicationRequest,
            headers: HCXHeaders(
                senderCode: payerCode, recipientCode: headers.senderCode, correlationID: UUID().uuidString.lowercased(),
                workflowID: headers.workflowID, timestamp: HCXTimestamp.string(from: Date())),
            resource: request)
        try await store.enqueue(message, id: id, claimAPICallID: headers.apiCallID, dueAt: Date())
        scheduleSend(message, id: id, dueAt: Date())
        return true
    }

    // MARK: Payments

    private func preparePayment(
        for claim: FHIRClaim, response: FHIRClaimResponse, amount: Money, headers: HCXHeaders, now: Date
    ) async throws {
        let today = ServiceDate(now, in: Self.timeZone)
        let payment = Payment(
            identifier: "PAY-\(headers.correlationID)", amount: amount, paymentDate: today, claimReference: nil,
            responseReference: nil, kind: "paid")
        let notice = PaymentNotice(
            payment: payment,
            request: Reference(reference: claim.id.map { "Claim/\($0)" }, identifier: claim.identifier?.first),
            response: Reference(reference: response.id.map { "ClaimResponse/\($0)" }),
            provider: claim.provider ?? Reference(reference: "Organization/unknown"),
            recipient: claim.provider ?? Reference(reference: "Organization/unknown"), created: today.description)
        let message = try SandboxOutgoingMessage(
            operation: .paymentNoticeRequest,
            headers: HCXHeaders(
                senderCode: payerCode, recipientCode: headers.senderCode, correlationID: UUID().uuidString.lowercased(),
                workflowID: headers.workflowID, timestamp: HCXTimestamp.string(from: now)),
            resource: notice)
        let dueAt = now.addingTimeInterval(rules.payment.delaySeconds)
        try await store.enqueue(message, id: payment.identifier, claimAPICallID: headers.apiCallID, dueAt: dueAt)
        scheduleSend(message, id: payment.identifier, dueAt: dueAt)
    }

    /// Sends a queued message when it is due.
    private func scheduleSend(_ message: SandboxOutgoingMessage, id: String, dueAt: Date) {
        work.append(
            Task {
                let wait = dueAt.timeIntervalSinceNow
                if wait > 0 {
                    do { try await Task.sleep(for: .seconds(wait)) } catch { return }
                }
                await self.sendQueued(message, id: id)
            })
    }

    private func sendQueued(_ message: SandboxOutgoingMessage, id: String) async {
        do {
            try await send(
                try FHIRJSON.data(message.resource), operation: message.operation,
                headers: message.hcxHeaders(at: Date())
            )
            try await store.markSent(id: id, at: Date())
        } catch is CancellationError {
            return
        } catch let error as HCXClientError {
            if case .rejected(_, .invalidAPICallID?) = error.kind {
                // Sent before an interruption: the gateway has it.
                try? await store.markSent(id: id, at: Date())
                return
            }
            logger.warning("sandbox payer could not send \(message.operation.label)", metadata: ["error": "\(error)"])
        } catch {
            logger.warning("sandbox payer could not send \(message.operation.label)", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Sending

    /// Seals `resource` to the recipient named in `headers` and sends it through the gateway.
    private func send(_ resource: Data, operation: HCXOperation, headers: HCXHeaders) async throws {
        guard let recipient = await registry.participant(headers.recipientCode) else {
            throw HCXProtocolError(.invalidRecipient, "\(headers.recipientCode) is not registered")
        }
        let key = try RSAPublicKey(certificateOrPublicKeyPEM: recipient.encryptionCertificatePEM)
        let envelope = try HCXEnvelope.seal(resource, headers: headers, to: key)
        _ = try await gateway.send(envelope, operation: operation, bearerToken: try await tokens.token())
    }

    /// Answers a request the payer cannot process with a plain-JSON `response.error` callback.
    private func answerWithError(_ error: HCXProtocolError, to message: HCXInboundMessage, operation: HCXOperation)
        async
    {
        let headers = message.headers
        logger.info(
            "sandbox payer refuses a message",
            metadata: [
                "correlation_id": "\(headers.correlationID)", "code": "\(error.code)", "error": "\(error.message)",
            ])
        guard let callback = operation.callback, message.envelope != nil else {
            try? await store.markAnswered(apiCallID: headers.apiCallID, at: Date())
            return
        }
        var answer = headers.response(status: .responseError, timestamp: HCXTimestamp.string(from: Date()))
        answer.errorDetails = ["code": .string(error.code.rawValue), "message": .string(error.message)]
        do {
            _ = try await gateway.send(
                body: try JSONEncoder().encode(answer.protectedHeader), operation: callback,
                bearerToken: try await tokens.token())
            try await store.markAnswered(apiCallID: headers.apiCallID, at: Date())
        } catch {
            logger.warning("sandbox payer could not send an error callback", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Reading

    private func open(_ message: HCXInboundMessage) throws -> Data {
        guard let envelope = message.envelope else {
            throw HCXProtocolError(.invalidPayload, "the message carries no payload")
        }
        return try envelope.open(with: payerKey)
    }

    private static func bundle(_ data: Data) throws -> FHIR.Bundle {
        do {
            return try FHIR.Bundle(jsonData: data)
        } catch {
            throw HCXProtocolError(.wrongDomainPayload, "the payload is not a FHIR Bundle")
        }
    }

    /// `Coverage.subscriberId` (or its first identifier) of the coverage a reference points to.
    static func subscriberID(coverage reference: String?, in bundle: FHIR.Bundle) -> String? {
        guard let reference else { return nil }
        let entries = bundle.entry ?? []
        let match = entries.first { entry in
            guard entry.resourceType == "Coverage" else { return false }
            if entry.fullUrl == reference { return true }
            if let id = entry.resource?["id"]?.stringValue, reference == "Coverage/\(id)" { return true }
            return false
        }
        guard let coverage = try? match?.resource(as: Coverage.self) else { return nil }
        return coverage.subscriberId ?? coverage.identifier?.first?.value
    }
}
