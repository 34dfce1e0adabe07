import FHIR
import Foundation
import HCX
import Logging
import RCMCore
import Vapor

/// The sandbox's `/claim/submit`: gateway checks, a 202 acknowledgement, then — asynchronously —
/// the payer decrypts the claim, adjudicates it by ``SandboxRules`` and answers on the provider's
/// `/claim/on_submit` with an encrypted ClaimResponse bundle.
struct SandboxPayerController: RouteCollection {
    let versionPrefix: String
    let payerCode: String
    let payerKey: RSAPrivateKey
    let registry: SandboxRegistry
    let rules: SandboxRules
    /// Signs the bearer JWT on callbacks, as the HCX gateway does.
    let gateway: HCXGatewayAuthenticator
    let httpClient: HTTPClient
    let logger: Logger

    func boot(routes: any RoutesBuilder) throws {
        routes.on(
            .POST,
            HCXOperation.claimSubmit.routeComponents(versionPrefix: versionPrefix).map {
                PathComponent(stringLiteral: $0)
            },
            body: .collect(maxSize: "10mb"), use: submit)
    }

    @Sendable func submit(request: Request) async throws -> Response {
        let envelope: HCXEnvelope
        do {
            guard let body = try? request.content.decode(HCXRequestBody.self) else {
                throw HCXProtocolError(.invalidPayload, "the body must be {\"payload\": \"<compact JWE>\"}")
            }
            envelope = try HCXEnvelope(body: body)
            try await check(envelope.headers)
        } catch let error as HCXProtocolError {
            let ack = HCXAcknowledgement(
                timestamp: Date(), correlationID: nil, apiCallID: nil,
                error: .init(code: error.code, message: error.message))
            return try ack.response()
        }
        let headers = envelope.headers
        Task { await adjudicate(envelope) }
        return try HCXAcknowledgement(
            timestamp: Date(), correlationID: headers.correlationID, apiCallID: headers.apiCallID
        )
        .response()
    }

    /// The gateway's header checks (docs reference/hcx-protocol.md §2.2).
    private func check(_ headers: HCXHeaders) async throws {
        guard headers.recipientCode == payerCode else {
            throw HCXProtocolError(
                .invalidRecipient, "x-hcx-recipient_code '\(headers.recipientCode)' is not registered")
        }
        guard await registry.participant(headers.senderCode) != nil else {
            throw HCXProtocolError(.invalidSender, "x-hcx-sender_code '\(headers.senderCode)' is not registered")
        }
        try headers.checkTimestamp(now: Date())
        guard await registry.recordAPICallID(headers.apiCallID) else {
            throw HCXProtocolError(.invalidAPICallID, "request exists with the same api call id \(headers.apiCallID)")
        }
    }

    private func adjudicate(_ envelope: HCXEnvelope) async {
        let headers = envelope.headers
        do {
            guard let provider = await registry.participant(headers.senderCode) else { return }
            let plaintext = try envelope.open(with: payerKey)
            guard let bundle = try ClaimBundle.read(plaintext).first else {
                throw HCXProtocolError(.invalidDomainPayload, "empty payload")
            }
            let claimBundle = try bundle.get()
            let decision = try SandboxAdjudicator(rules: rules).adjudicate(try claimBundle.claim.toDomain())
            let now = Date()
            let response = FHIRClaimResponse(
                answering: claimBundle.claim, adjudication: decision, id: UUID().uuidString.lowercased(),
                created: HCXTimestamp.string(from: now))
            let responseBundle = try FHIR.Bundle.claimResponseBundle(
                response, timestamp: HCXTimestamp.string(from: now))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            let callback = try HCXEnvelope.seal(
                try encoder.encode(responseBundle),
                headers: headers.response(status: .responseComplete, timestamp: HCXTimestamp.string(from: now)),
                to: provider.encryptionKey)
            try await deliver(callback, to: provider)
        } catch {
            logger.warning(
                "sandbox payer could not adjudicate",
                metadata: ["correlation_id": "\(headers.correlationID)", "error": "\(error)"])
        }
    }

    /// Posts a callback, retried up to 3 times with backoff (the Swasth gateway's `max.retry = 3`,
    /// docs reference/hcx-protocol.md §4.4).
    private func deliver(_ callback: HCXEnvelope, to provider: SandboxParticipant) async throws {
        let client = HCXClient(
            baseURL: provider.endpointURL, httpClient: httpClient,
            retryPolicy: HCXRetryPolicy(maxAttempts: 4, initialDelaySeconds: 0.2), logger: logger)
        _ = try await client.send(callback, operation: .claimOnSubmit, bearerToken: try await gateway.token())
    }
}
