import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension HTTPClient {
    /// Executes a request and collects its body (at most 1 MiB), turning connection failures into
    /// ``HCXClientError`` (`transport`) named after `what`.
    /// - Returns: the status and the body bytes.
    func hcxExecute(
        _ request: HTTPClientRequest, what: String, timeout: TimeAmount = .seconds(30), logger: Logger
    ) async throws -> (status: HTTPResponseStatus, body: Data) {
        do {
            let response = try await execute(request, timeout: timeout, logger: logger)
            let body = try await response.body.collect(upTo: 1 << 20)
            return (response.status, Data(body.readableBytesView))
        } catch {
            throw HCXClientError(.transport, "\(what) at \(request.url) failed: \(error)")
        }
    }

    /// The body of a 200 answer, or ``HCXClientError`` (`rejected`) quoting the start of another.
    func hcxFetch(_ request: HTTPClientRequest, what: String, logger: Logger) async throws -> Data {
        let (status, body) = try await hcxExecute(request, what: what, logger: logger)
        guard status == .ok else {
            throw HCXClientError(
                .rejected(status: Int(status.code), code: nil),
                "\(what) answered \(status.code): \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
        return body
    }
}
