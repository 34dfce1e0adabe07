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
    let retryPolicy: HCXRetryPolicy
    let metrics: HCXMetrics
    let logger: Logger

    /// Creates a client.
    /// - Parameters:
    ///   - baseURL: scheme, host, port and version prefix; a trailing `/` is ignored.
    ///   - httpClient: a shared AsyncHTTPClient (its lifetime is the caller's).
    ///   - timeoutSeconds: deadline of each attempt, in seconds.
    ///   - retryPolicy: how retryable failures are retried.
    ///   - metrics: where calls are counted and timed.
    public init(
        baseURL: String, httpClient: HTTPClient, timeoutSeconds: Int64 = 30,
        retryPolicy: HCXRetryPolicy = HCXRetryPolicy(), metrics: HCXMetrics = HCXMetrics(), logger: Logger
    ) {
        self.baseURL = HCXBaseURL.normalized(baseURL)
        self.httpClient = httpClient
        self.timeout = .seconds(timeoutSeconds)
        self.retryPolicy = retryPolicy
        self.metrics = metrics
        self.logger = logger
    }

    /// Posts an envelope, retrying retryable failures by the client's ``HCXRetryPolicy`` with the
    /// same envelope (same `api_call_id`: a gateway that got an earlier attempt answers
    /// `ERR_INVALID_API_CALL_ID`, which the caller treats as delivered).
    /// - Parameters:
    ///   - bearerToken: sent as `Authorization: Bearer …` when given.
    /// - Returns: the acknowledgement of a 200/202 answer.
    /// - Throws: ``HCXClientError`` from the last attempt (`transport` when unreachable, `rejected`
    ///   with the HCX error code for other statuses).
    public func send(
        _ envelope: HCXEnvelope, operation: HCXOperation, bearerToken: String? = nil
    ) async throws -> HCXAcknowledgement {
        try await send(body: try JSONEncoder().encode(envelope.body), operation: operation, bearerToken: bearerToken)
    }

    /// Posts a request body as it is (an encrypted `{"payload": …}` or a plain-JSON error or
    /// redirect response), retrying as ``send(_:operation:bearerToken:)`` does.
    /// - Returns: the acknowledgement of a 200/202 answer.
    /// - Throws: ``HCXClientError`` from the last attempt.
    public func send(body: Data, operation: HCXOperation, bearerToken: String? = nil) async throws
        -> HCXAcknowledgement
    {
        let started = ContinuousClock.now
        func seconds() -> Double {
            let elapsed = ContinuousClock.now - started
            return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
        var attempt = 1
        while true {
            do {
                let acknowledgement = try await sendOnce(body, operation: operation, bearerToken: bearerToken)
                metrics.recordCall(operation, durationSeconds: seconds(), error: nil)
                return acknowledgement
            } catch let error as HCXClientError where error.isRetryable && attempt < retryPolicy.maxAttempts {
                let delay = retryPolicy.delaySeconds(beforeRetry: attempt)
                logger.info(
                    "retrying HCX call",
                    metadata: [
                        "operation": "\(operation.label)", "attempt": "\(attempt)", "delay_seconds": "\(delay)",
                        "error": "\(error)",
                    ])
                try await Task.sleep(for: .seconds(delay))
                attempt += 1
            } catch let error as HCXClientError {
                metrics.recordCall(operation, durationSeconds: seconds(), error: error)
                throw error
            }
        }
    }

    private func sendOnce(
        _ body: Data, operation: HCXOperation, bearerToken: String?
    ) async throws -> HCXAcknowledgement {
        var request = HTTPClientRequest(url: baseURL + operation.path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let bearerToken { request.headers.add(name: "Authorization", value: "Bearer \(bearerToken)") }
        request.body = .bytes(ByteBuffer(bytes: body))
        let (status, answer) = try await httpClient.hcxExecute(
            request, what: operation.label, timeout: timeout, logger: logger)
        let acknowledgement = try? JSONDecoder().decode(HCXAcknowledgement.self, from: answer)
        guard status == .accepted || status == .ok, let acknowledgement else {
            let code = acknowledgement?.error?.code
            let message = acknowledgement?.error?.message ?? String(decoding: answer.prefix(300), as: UTF8.self)
            throw HCXClientError(
                .rejected(status: Int(status.code), code: code),
                "\(operation.label) answered \(status.code)\(code.map { " \($0)" } ?? ""): \(message)")
        }
        return acknowledgement
    }
}
