import AsyncHTTPClient
import FHIR
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Sends HCX messages over HTTP: `POST {baseURL}{operation.path}` with `{"payload": jwe}` and
/// expects the 202 acknowledgement (docs reference/hcx-protocol.md §2.1, §4.3).
public struct HCXClient: Sendable {
    /// The gateway (or participant) base URL including the version prefix,
    /// e.g. `http://127.0.0.1:53117/v0.7`.
    public let baseURL: String
    let httpClient: HTTPClient
    let timeout: TimeAmount
    let logger: Logger

    /// Creates a client.
    /// - Parameters:
    ///   - baseURL: scheme, host, port and version prefix; a trailing `/` is ignored.
    ///   - httpClient: a shared AsyncHTTPClient (its lifetime is the caller's).
    ///   - timeoutSeconds: whole-call deadline, in seconds.
    public init(baseURL: String, httpClient: HTTPClient, timeoutSeconds: Int64 = 30, logger: Logger) {
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.httpClient = httpClient
        self.timeout = .seconds(timeoutSeconds)
        self.logger = logger
    }

    /// Posts an envelope.
    /// - Parameters:
    ///   - bearerToken: sent as `Authorization: Bearer …` when given.
    /// - Returns: the acknowledgement of a 200/202 answer.
    /// - Throws: ``HCXClientError`` (`transport` when unreachable, `rejected` with the HCX error
    ///   code for other statuses).
    public func send(
        _ envelope: HCXEnvelope, operation: HCXOperation, bearerToken: String? = nil
    ) async throws -> HCXAcknowledgement {
        var request = HTTPClientRequest(url: baseURL + operation.path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let bearerToken { request.headers.add(name: "Authorization", value: "Bearer \(bearerToken)") }
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(envelope.body)))
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await httpClient.execute(request, timeout: timeout, logger: logger)
            body = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw HCXClientError(.transport, "\(operation.label) to \(baseURL) failed: \(error)")
        }
        let acknowledgement = try? JSONDecoder().decode(HCXAcknowledgement.self, from: Data(body.readableBytesView))
        guard response.status == .accepted || response.status == .ok, let acknowledgement else {
            let code = acknowledgement?.error?.code
            let message = acknowledgement?.error?.message ?? String(buffer: body).prefix(300).description
            throw HCXClientError(
                .rejected(status: Int(response.status.code), code: code),
                "\(operation.label) answered \(response.status.code)\(code.map { " \($0)" } ?? ""): \(message)")
        }
        return acknowledgement
    }
}
