import AsyncHTTPClient
import FHIR
import Foundation
import HCX
import Logging
import NIOHTTP1

/// The HCX switch of the sandbox: checks each protocol call, stores it, answers at once, and
/// forwards it to the recipient's `endpoint_url` with a gateway-signed bearer JWT, retrying a
/// bounded number of times and telling the sender `ERR_RECIPIENT_NOT_AVAILABLE` when delivery
/// fails for good (hcx-platform pipeline `BaseDispatcherFunction`; docs reference/hcx-protocol.md §4).
actor SandboxGateway {
    /// The answer to one call.
    struct Answer: Sendable {
        let status: HTTPResponseStatus
        let acknowledgement: HCXAcknowledgement
        /// Seconds to wait before answering (fault injection).
        let delaySeconds: Double
    }

    let gatewayCode: String
    let registry: SandboxRegistry
    let store: SandboxStore
    let tokens: SandboxAccessTokens
    let signer: HCXGatewayAuthenticator
    let plan: SandboxFaultPlan
    /// Participants inside the sandbox (the payer): faults never touch their traffic.
    let internalCodes: Set<String>
    let httpClient: HTTPClient
    let deliveryRetry: HCXRetryPolicy
    /// Seconds before each later round of delivery attempts.
    let retryScheduleSeconds: [Double]
    let logger: Logger
    private let check: SandboxGatewayCheck
    private var requestIndex: UInt64 = 0
    private var callbackIndex: UInt64 = 0
    private var faultLog: [SandboxFaultRecord] = []
    private var deliveries: [Task<Void, Never>] = []

    init(
        gatewayCode: String, registry: SandboxRegistry, store: SandboxStore, tokens: SandboxAccessTokens,
        signer: HCXGatewayAuthenticator, faults: SandboxFaults, internalCodes: Set<String>, httpClient: HTTPClient,
        deliveryRetry: HCXRetryPolicy, retryScheduleSeconds: [Double], logger: Logger
    ) {
        self.gatewayCode = gatewayCode
        self.registry = registry
        self.store = store
        self.tokens = tokens
        self.signer = signer
        self.plan = SandboxFaultPlan(faults)
        self.internalCodes = internalCodes
        self.httpClient = httpClient
        self.deliveryRetry = deliveryRetry
        self.retryScheduleSeconds = retryScheduleSeconds
        self.logger = logger
        self.check = SandboxGatewayCheck(registry: registry, store: store, allowedSkewSeconds: 60)
    }

    /// Handles one protocol call.
    func receive(operation: HCXOperation, body: Data, authorization: String?) async -> Answer {
        let now = Date()
        var delay = 0.0
        var headers: HCXHeaders?
        let caller: String
        do {
            caller = try await tokens.participantCode(authorization: authorization)
        } catch let error as HCXProtocolError {
            try? await store.refuse(
                apiCallID: Self.peekHeader(HCXHeaders.Key.apiCallID, in: body),
                correlationID: Self.peekHeader(HCXHeaders.Key.correlationID, in: body), code: error.code, at: now)
            return Answer(
                status: .unauthorized,
                acknowledgement: HCXAcknowledgement(
                    timestamp: now, correlationID: nil, apiCallID: nil,
                    error: .init(code: error.code, message: error.message)),
                delaySeconds: 0)
        } catch {
            return Answer(
                status: .internalServerError,
                acknowledgement: HCXAcknowledgement(
                    timestamp: now, correlationID: nil, apiCallID: nil,
                    error: .init(code: .serviceUnavailable, message: "the sandbox gateway failed: \(error)")),
                delaySeconds: 0)
        }
        do {
            if !internalCodes.contains(caller) {
                let decision = plan.decision(.requests, index: requestIndex)
                faultLog.append(SandboxFaultRecord(stream: .requests, index: requestIndex, decision: decision))
                requestIndex += 1
                delay = decision.delaySeconds
                if decision.kind == .serverError {
                    try await store.refuse(
                        apiCallID: Self.peekHeader(HCXHeaders.Key.apiCallID, in: body),
                        correlationID: Self.peekHeader(HCXHeaders.Key.correlationID, in: body),
                        code: .serviceUnavailable, at: now)
                    return Answer(
                        status: .serviceUnavailable,
                        acknowledgement: HCXAcknowledgement(
                            timestamp: now, correlationID: nil, apiCallID: nil,
                            error: .init(code: .serviceUnavailable, message: "injected fault: service unavailable")),
                        delaySeconds: delay)
                }
            }
            let accepted = try await check.check(operation: operation, body: body, caller: caller, now: now)
            headers = accepted.message.headers
            let message = SandboxMessage(
                headers: accepted.message.headers, operation: operation, body: accepted.message.rawBody,
                receivedAt: now)
            if operation == .statusRequest {
                // Answered by the gateway itself, and recorded (not forwarded) so its api_call_id counts.
                let result = try await statusResult(of: message)
                var answered = message
                answered.delivery = .delivered
                guard try await store.accept(answered) else {
                    throw HCXProtocolError(
                        .invalidAPICallID, "a request exists with the same api call id \(message.apiCallID)")
                }
                return Answer(
                    status: .accepted,
                    acknowledgement: HCXAcknowledgement(
                        timestamp: now, correlationID: message.correlationID, apiCallID: message.apiCallID,
                        result: result),
                    delaySeconds: delay)
            }
            guard try await store.accept(message) else {
                throw HCXProtocolError(
                    .invalidAPICallID, "a request exists with the same api call id \(message.apiCallID)")
            }
            startDelivery(message)
            return Answer(
                status: .accepted,
                acknowledgement: HCXAcknowledgement(
                    timestamp: now, correlationID: message.correlationID, apiCallID: message.apiCallID),
                delaySeconds: delay)
        } catch let error as HCXProtocolError {
            try? await store.refuse(
                apiCallID: headers?.apiCallID ?? Self.peekHeader(HCXHeaders.Key.apiCallID, in: body),
                correlationID: headers?.correlationID ?? Self.peekHeader(HCXHeaders.Key.correlationID, in: body),
                code: error.code, at: now)
            return Answer(
                // A valid token that may not do this: 403; every other check: 400.
                status: error.code == .accessDenied ? .forbidden : .badRequest,
                acknowledgement: HCXAcknowledgement(
                    timestamp: now, correlationID: headers?.correlationID, apiCallID: headers?.apiCallID,
                    error: .init(code: error.code, message: error.message)),
                delaySeconds: delay)
        } catch {
            logger.error("sandbox gateway failed", metadata: ["error": "\(error)"])
            return Answer(
                status: .internalServerError,
                acknowledgement: HCXAcknowledgement(
                    timestamp: now, correlationID: nil, apiCallID: nil,
                    error: .init(code: .serviceUnavailable, message: "the sandbox gateway failed: \(error)")),
                delaySeconds: delay)
        }
    }

    /// Re-dispatches messages accepted before an interruption and never delivered.
    func resumePendingDeliveries() async throws {
        for message in try await store.pendingMessages() { startDelivery(message) }
    }

    /// The fault decisions taken so far, in order.
    func faultDecisions() -> [SandboxFaultRecord] { faultLog }

    /// Waits for every delivery started so far (tests and shutdown).
    func waitForDeliveries() async {
        while !deliveries.isEmpty {
            let pending = deliveries
            deliveries = []
            for task in pending { await task.value }
        }
    }

    /// Cancels deliveries in flight (shutdown); their messages stay pending for the next start.
    func cancelDeliveries() {
        for task in deliveries { task.cancel() }
        deliveries = []
    }

    private func startDelivery(_ message: SandboxMessage) {
        var decision = SandboxFaultDecision(kind: .none, delaySeconds: 0)
        if !internalCodes.contains(message.recipientCode) {
            decision = plan.decision(.callbacks, index: callbackIndex)
            faultLog.append(SandboxFaultRecord(stream: .callbacks, index: callbackIndex, decision: decision))
            callbackIndex += 1
        }
        deliveries.append(Task { await self.deliver(message, decision: decision) })
    }

    private func deliver(_ message: SandboxMessage, decision: SandboxFaultDecision) async {
        if decision.kind == .drop {
            try? await store.setDelivery(.dropped, deliveries: 0, apiCallID: message.apiCallID)
            logger.info("sandbox dropped a callback (fault)", metadata: ["api_call_id": "\(message.apiCallID)"])
            return
        }
        if decision.delaySeconds > 0 {
            do { try await Task.sleep(for: .seconds(decision.delaySeconds)) } catch { return }
        }
        let copies = decision.kind == .duplicate ? 2 : 1
        var delivered = 0
        var lastError: (any Error)?
        // A burst of quick attempts, then the retry scheduler's later rounds (the Swasth pipeline
        // retries every 20 s, up to 3 times); the message stays pending meanwhile, and a restarted
        // sandbox picks it up again.
        for (round, wait) in ([0] + retryScheduleSeconds).enumerated() {
            if round > 0 {
                do { try await Task.sleep(for: .seconds(wait)) } catch { return }
            }
            guard let recipient = await registry.participant(message.recipientCode) else { return }
            let client = HCXClient(
                baseURL: recipient.endpointURL, httpClient: httpClient, timeoutSeconds: 30,
                retryPolicy: deliveryRetry, logger: logger)
            do {
                while delivered < copies {
                    _ = try await client.send(
                        body: Data(message.body.utf8), operation: message.operation,
                        bearerToken: try await signer.token())
                    delivered += 1
                }
                try await store.setDelivery(.delivered, deliveries: delivered, apiCallID: message.apiCallID)
                return
            } catch is CancellationError {
                return
            } catch {
                if Task.isCancelled { return }
                lastError = error
                if delivered > 0 {
                    // The first copy arrived; the injected duplicate did not: that is delivered.
                    try? await store.setDelivery(.delivered, deliveries: delivered, apiCallID: message.apiCallID)
                    return
                }
                logger.warning(
                    "sandbox could not deliver",
                    metadata: [
                        "api_call_id": "\(message.apiCallID)", "recipient": "\(message.recipientCode)",
                        "round": "\(round + 1)", "error": "\(error)",
                    ])
            }
        }
        try? await store.setDelivery(.failed, deliveries: 0, apiCallID: message.apiCallID)
        if let lastError { await reportUndeliverable(message, error: lastError) }
    }

    /// Tells the sender of an undeliverable request, as the gateway does: a plain-JSON `on_*` with
    /// `x-hcx-status = response.error` and `ERR_RECIPIENT_NOT_AVAILABLE`, sent by the gateway.
    private func reportUndeliverable(_ message: SandboxMessage, error: any Error) async {
        guard let callback = message.operation.callback,
            let sender = await registry.participant(message.senderCode)
        else { return }
        var headers = HCXHeaders(
            senderCode: gatewayCode, recipientCode: message.senderCode, correlationID: message.correlationID,
            workflowID: message.workflowID, timestamp: HCXTimestamp.string(from: Date()), status: .responseError,
            errorDetails: [
                "code": .string(HCXErrorCode.recipientNotAvailable.rawValue),
                "message": .string("\(message.recipientCode) could not be reached: \(error)"),
            ])
        headers.apiCallID = UUID().uuidString.lowercased()
        do {
            let body = try JSONEncoder().encode(headers.protectedHeader)
            let client = HCXClient(
                baseURL: sender.endpointURL, httpClient: httpClient, retryPolicy: deliveryRetry, logger: logger)
            _ = try await client.send(body: body, operation: callback, bearerToken: try await signer.token())
        } catch {
            logger.warning(
                "sandbox could not report an undeliverable request",
                metadata: ["correlation_id": "\(message.correlationID)", "error": "\(error)"])
        }
    }

    /// The `/hcx/status` answer for the cycle of `request.correlationID` (hcx-specs v0.7 openapi
    /// `StatusResponseObject`): the original request's parties and entity, `request.queued` until
    /// it was delivered and `request.dispatched` after; `response_status` once answered.
    private func statusResult(of request: SandboxMessage) async throws -> [String: JSONValue] {
        let cycle = try await store.messages(correlationID: request.correlationID)
        guard let original = cycle.first(where: { !$0.operation.isCallback && $0.operation != .statusRequest }) else {
            throw HCXProtocolError(.invalidCorrelationID, "no request with correlation id \(request.correlationID)")
        }
        guard original.senderCode == request.senderCode else {
            throw HCXProtocolError(.accessDenied, "only the sender of a request may ask for its status")
        }
        var result: [String: JSONValue] = [
            "sender_code": .string(original.senderCode), "recipient_code": .string(original.recipientCode),
            "entity_type": .string(original.operation.pathComponents.first ?? ""),
            "protocol_status": .string(
                original.delivery == .pending ? HCXStatus.requestQueued.rawValue : HCXStatus.requestDispatched.rawValue),
        ]
        if let answer = cycle.last(where: { $0.operation == original.operation.callback }), let status = answer.status {
            result["response_status"] = .string(status.rawValue)
        }
        return result
    }

    /// A protected-header value of a body the checks refused, for the refusal record.
    private static func peekHeader(_ name: String, in body: Data) -> String? {
        guard let object = try? JSONValue(parsing: body) else { return nil }
        if let payload = object["payload"]?.stringValue, let jwe = try? CompactJWE(payload) {
            return jwe.protectedHeader[name]?.stringValue
        }
        return object[name]?.stringValue
    }
}

/// One fault decision taken by the gateway.
public struct SandboxFaultRecord: Sendable, Hashable, Codable {
    public let stream: SandboxFaultPlan.Stream
    public let index: UInt64
    public let decision: SandboxFaultDecision
}
