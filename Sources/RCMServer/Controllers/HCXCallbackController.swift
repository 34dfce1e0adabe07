import Foundation
import HCX
import RevenueCycle
import Vapor

/// RCM's HCX callback routes under the version prefix: `POST /v0.7/claim/on_submit`.
///
/// Each callback is checked and its raw body recorded (once per `api_call_id`), answered with the
/// 202 acknowledgement at once, and processed afterwards (docs DESIGN.md §5). A duplicate delivery
/// is acknowledged again and processed only if the first one was not. Failures answer with the protocol's error body
/// `{timestamp, correlation_id, api_call_id, error: {code, message}}` and status 400.
struct HCXCallbackController: RouteCollection {
    let versionPrefix: String
    /// The largest body accepted, in bytes; larger ones answer 413 with `ERR_INVALID_PAYLOAD`.
    let maxBodyBytes: Int
    let receiver: ClaimResponseReceiver

    func boot(routes: any RoutesBuilder) throws {
        routes.on(
            .POST,
            HCXOperation.claimOnSubmit.routeComponents(versionPrefix: versionPrefix).map {
                PathComponent(stringLiteral: $0)
            },
            body: .stream, use: claimOnSubmit)
    }

    @Sendable func claimOnSubmit(request: Request) async throws -> Response {
        let bytes: Data
        do {
            bytes = try await collectBody(request)
        } catch is BodyTooLarge {
            return try Self.response(
                HCXAcknowledgement(
                    timestamp: Date(), correlationID: nil, apiCallID: nil,
                    error: .init(code: .invalidPayload, message: "the body is larger than \(maxBodyBytes) bytes")),
                status: .payloadTooLarge)
        }
        do {
            guard let body = try? JSONDecoder().decode(HCXRequestBody.self, from: bytes) else {
                throw HCXProtocolError(.invalidPayload, "the body must be {\"payload\": \"<compact JWE>\"}")
            }
            let (envelope, needsProcessing) = try await receiver.accept(body)
            if needsProcessing {
                let receiver = self.receiver
                let logger = request.logger
                Task {
                    do {
                        try await receiver.process(envelope)
                    } catch {
                        logger.warning(
                            "claim callback could not be processed",
                            metadata: ["correlation_id": "\(envelope.headers.correlationID)", "error": "\(error)"])
                    }
                }
            }
            return try Self.response(
                HCXAcknowledgement(
                    timestamp: Date(), correlationID: envelope.headers.correlationID,
                    apiCallID: envelope.headers.apiCallID), status: .accepted)
        } catch let error as HCXProtocolError {
            return try Self.response(
                HCXAcknowledgement(
                    timestamp: Date(), correlationID: nil, apiCallID: nil,
                    error: .init(code: error.code, message: error.message)), status: .badRequest)
        }
    }

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

    private static func response(_ acknowledgement: HCXAcknowledgement, status: HTTPResponseStatus) throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: status, headers: headers, body: .init(data: try JSONEncoder().encode(acknowledgement)))
    }
}
