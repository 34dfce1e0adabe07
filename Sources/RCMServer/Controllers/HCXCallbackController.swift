import Foundation
import HCX
import RevenueCycle
import Vapor

/// RCM's HCX routes under the version prefix — the callbacks to its requests and the
/// payer-initiated requests (`/v0.7/coverageeligibility/on_check`, `/preauth/on_submit`,
/// `/predetermination/on_submit`, `/claim/on_submit`, `/paymentnotice/request`,
/// `/communication/request`, `/hcx/on_status`).
///
/// Every call must carry the gateway's RS256 bearer JWT (401 `ERR_ACCESS_DENIED` otherwise). Each
/// message is then checked and recorded by the ``RevenueCycle/HCXInbox`` (once per `api_call_id`),
/// answered with the 202 acknowledgement at once, and processed afterwards (docs DESIGN.md §5);
/// claim callbacks go to the ``RevenueCycle/ClaimResponseReceiver``. Encrypted bodies and plain
/// error/redirect responses are both accepted. Failures answer with the protocol's error body
/// `{timestamp, correlation_id, api_call_id, error: {code, message}}`: 400, or 413 for a body over
/// the limit.
struct HCXCallbackController: RouteCollection {
    let versionPrefix: String
    /// The largest body accepted, in bytes.
    let maxBodyBytes: Int
    /// Verifies the gateway's bearer JWT on every call.
    let gateway: HCXGatewayAuthenticator
    let inbox: HCXInbox
    let receiver: ClaimResponseReceiver
    let poster: PaymentPoster
    let eligibility: EligibilityReceiver

    func boot(routes: any RoutesBuilder) throws {
        for operation in HCXOperation.providerInbound {
            routes.on(
                .POST, operation.routeComponents(versionPrefix: versionPrefix).map { PathComponent(stringLiteral: $0) },
                body: .stream
            ) { request in try await self.receive(operation, request: request) }
        }
    }

    func receive(_ operation: HCXOperation, request: Request) async throws -> Response {
        do {
            _ = try await gateway.verify(authorization: request.headers.first(name: .authorization))
        } catch let error as HCXProtocolError {
            // Loud: a gateway whose token we refuse cannot deliver anything (a wrong HCX_GATEWAY_CERT?).
            request.logger.warning(
                "HCX callback refused: the gateway's bearer token did not verify",
                metadata: ["operation": "\(operation.label)", "error": "\(error.message)"])
            return try Self.response(error: error, status: .unauthorized)
        }
        let accepted: HCXInbox.Accepted
        do {
            accepted = try await inbox.accept(operation, body: try await collectBody(request))
        } catch is BodyTooLarge {
            return try Self.response(
                error: HCXProtocolError(.invalidPayload, "the body is larger than \(maxBodyBytes) bytes"),
                status: .payloadTooLarge)
        } catch let error as HCXProtocolError {
            return try Self.response(error: error, status: .badRequest)
        }
        let handled: [HCXOperation] = [
            .claimOnSubmit, .preauthOnSubmit, .paymentNoticeRequest, .coverageEligibilityOnCheck,
        ]
        if accepted.needsProcessing, handled.contains(operation) {
            let receiver = self.receiver
            let poster = self.poster
            let eligibility = self.eligibility
            let logger = request.logger
            Task {
                // Stored and acknowledged: processed now, and again while the database is away for
                // a moment (else the message waited for the next start, and its claim for its
                // deadline: the fault soak's restart of PostgreSQL left claims FAILED that way).
                var delay = 1.0
                for attempt in 1...Self.processingAttempts {
                    do {
                        switch operation {
                        case .claimOnSubmit: try await receiver.process(accepted.message)
                        case .preauthOnSubmit: try await receiver.process(accepted.message, answering: .preauthSubmit)
                        case .paymentNoticeRequest: try await poster.process(accepted.message)
                        default: try await eligibility.process(accepted.message)
                        }
                        return
                    } catch {
                        let again = DatabaseTransience.isTransient(error) && attempt < Self.processingAttempts
                        logger.warning(
                            again
                                ? "HCX message could not be processed yet; trying again"
                                : "HCX message could not be processed",
                            metadata: [
                                "operation": "\(operation.label)",
                                "api_call_id": "\(accepted.message.headers.apiCallID)", "error": "\(error)",
                            ])
                        guard again else { return }
                        try? await Task.sleep(for: .seconds(delay))
                        delay = min(delay * 2, 30)
                    }
                }
            }
        }
        let headers = accepted.message.headers
        return try Self.response(
            HCXAcknowledgement(timestamp: Date(), correlationID: headers.correlationID, apiCallID: headers.apiCallID),
            status: .accepted)
    }

    /// How many times a stored message is processed while the database is away for a moment
    /// (waiting 1, 2, 4 … up to 30 s between: some five minutes in all); what is still not
    /// processed then is taken up at the next start.
    static let processingAttempts = 14

    private struct BodyTooLarge: Error {}

    /// The request body, refused as soon as it grows past ``maxBodyBytes`` (streamed, so an
    /// oversized body is never held in memory whole).
    private func collectBody(_ request: Request) async throws -> Data {
        var collected = Data()
        for try await chunk in request.body {
            guard collected.count + chunk.readableBytes <= maxBodyBytes else { throw BodyTooLarge() }
            collected.append(contentsOf: chunk.readableBytesView)
        }
        return collected
    }

    private static func response(error: HCXProtocolError, status: HTTPResponseStatus) throws -> Response {
        try response(
            HCXAcknowledgement(
                timestamp: Date(), correlationID: nil, apiCallID: nil,
                error: .init(code: error.code, message: error.message)), status: status)
    }

    private static func response(_ acknowledgement: HCXAcknowledgement, status: HTTPResponseStatus) throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: status, headers: headers, body: .init(data: try JSONEncoder().encode(acknowledgement)))
    }
}
