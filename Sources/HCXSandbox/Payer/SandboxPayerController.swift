import Foundation
import HCX
import Vapor

/// The sandbox payer's own endpoint (its registered `endpoint_url`, `/payer{versionPrefix}`):
/// the routes a payer hosts, called only by the gateway.
struct SandboxPayerController: RouteCollection {
    let versionPrefix: String
    let payer: @Sendable () -> SandboxPayer?
    let maxBodyBytes: Int

    /// What a payer hosts: the provider-initiated requests and the answers to its own requests
    /// (hcx-platform issue #198; docs reference/hcx-protocol.md §1.4).
    static let operations: [HCXOperation] = [
        .coverageEligibilityCheck, .preauthSubmit, .predeterminationSubmit, .claimSubmit, .paymentNoticeOnRequest,
        .communicationOnRequest, .statusRequest,
    ]

    func boot(routes: any RoutesBuilder) throws {
        let prefix = (["payer"] + versionPrefix.split(separator: "/").map(String.init)).map {
            PathComponent(stringLiteral: $0)
        }
        for operation in Self.operations {
            routes.on(
                .POST, prefix + operation.pathComponents.map { PathComponent(stringLiteral: $0) },
                body: .collect(maxSize: ByteCount(value: maxBodyBytes))
            ) { request async throws -> Response in
                guard let payer = payer() else { throw Abort(.serviceUnavailable, reason: "the payer is starting") }
                do {
                    let headers = try await payer.receive(
                        operation: operation, body: Data(buffer: request.body.data ?? ByteBuffer()),
                        authorization: request.headers.first(name: .authorization))
                    return try HCXAcknowledgement(
                        timestamp: Date(), correlationID: headers.correlationID, apiCallID: headers.apiCallID
                    ).response()
                } catch let error as HCXProtocolError {
                    return try HCXAcknowledgement(
                        timestamp: Date(), correlationID: nil, apiCallID: nil,
                        error: .init(code: error.code, message: error.message)
                    ).response(status: error.code == .accessDenied ? .unauthorized : .badRequest)
                }
            }
        }
    }
}
