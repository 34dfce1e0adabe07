import FHIR
import Foundation
import HCX
import Logging
import MetricsTestKit
import NIOConcurrencyHelpers
import Testing
import Vapor

/// The HCX client against a real HTTP server on loopback that answers as a gateway would.
@Suite struct HCXClientTests {
    /// A gateway stand-in: answers each call with the next scripted status and body.
    final class ScriptedGateway: Sendable {
        let server: LoopbackServer
        let calls = NIOLockedValueBox(0)
        var app: Application { server.app }
        var baseURL: String { server.baseURL }

        init(script: [(HTTPResponseStatus, String)]) async throws {
            let calls = self.calls
            server = try await LoopbackServer { app in
                app.post("v0.7", "claim", "submit") { _ -> Response in
                    let index = calls.withLockedValue { count in
                        defer { count += 1 }
                        return count
                    }
                    let (status, body) = script[min(index, script.count - 1)]
                    return Response(
                        status: status, headers: ["Content-Type": "application/json"], body: .init(string: body))
                }
            }
        }

        func stop() async throws { try await server.stop() }
    }

    func envelope() throws -> HCXEnvelope {
        let headers = HCXHeaders(
            senderCode: "p", recipientCode: "q", correlationID: "c-1", timestamp: "2026-11-29T10:00:00+05:30")
        return try HCXEnvelope.seal(Data("{}".utf8), headers: headers, to: try RSAPrivateKey.generate().publicKey)
    }

    let ack = #"{"timestamp":"1692278029019","correlation_id":"c-1","api_call_id":"a-1"}"#
    let fast = HCXRetryPolicy(maxAttempts: 3, initialDelaySeconds: 0.01, maxDelaySeconds: 0.05)

    @Test func serverErrorsAreRetriedUntilTheAcknowledgement() async throws {
        let gateway = try await ScriptedGateway(script: [
            (.serviceUnavailable, #"{"error":{"code":"ERR_SERVICE_UNAVAILABLE","message":"busy"}}"#),
            (.badGateway, "<html>bad gateway</html>"), (.accepted, ack),
        ])
        let client = HCXClient(
            baseURL: gateway.baseURL, httpClient: gateway.app.http.client.shared, retryPolicy: fast,
            logger: Logger(label: "t"))
        let acknowledgement = try await client.send(try envelope(), operation: .claimSubmit)
        #expect(acknowledgement.timestamp == 1_692_278_029_019)
        #expect(acknowledgement.correlationID == "c-1")
        #expect(gateway.calls.withLockedValue { $0 } == 3)
        try await gateway.stop()
    }

    @Test func clientErrorsAreFinalAndCarryTheGatewaysCode() async throws {
        let gateway = try await ScriptedGateway(script: [
            (
                .badRequest,
                #"{"timestamp":1,"error":{"code":"ERR_MANDATORY_HEADERFIELD_MISSING","message":"x-hcx-sender_code missing","trace":null}}"#
            )
        ])
        let client = HCXClient(
            baseURL: gateway.baseURL, httpClient: gateway.app.http.client.shared, retryPolicy: fast,
            logger: Logger(label: "t"))
        do {
            _ = try await client.send(try envelope(), operation: .claimSubmit)
            Issue.record("expected a rejection")
        } catch let error as HCXClientError {
            #expect(
                error.kind == .rejected(status: 400, code: HCXErrorCode(rawValue: "ERR_MANDATORY_HEADERFIELD_MISSING")))
            #expect(
                error.message
                    == "claim.submit answered 400 ERR_MANDATORY_HEADERFIELD_MISSING: x-hcx-sender_code missing")
            #expect(!error.isRetryable)
        }
        #expect(gateway.calls.withLockedValue { $0 } == 1)
        try await gateway.stop()
    }

    @Test func retriesStopAtTheLimit() async throws {
        let gateway = try await ScriptedGateway(script: [(.serviceUnavailable, "{}")])
        let client = HCXClient(
            baseURL: gateway.baseURL, httpClient: gateway.app.http.client.shared, retryPolicy: fast,
            logger: Logger(label: "t"))
        await #expect(throws: HCXClientError.self) { try await client.send(try envelope(), operation: .claimSubmit) }
        #expect(gateway.calls.withLockedValue { $0 } == 3)
        try await gateway.stop()
    }

    @Test func callsAreCountedTimedAndTheirErrorsLabelledByCode() async throws {
        let gateway = try await ScriptedGateway(script: [
            (.accepted, ack), (.badRequest, #"{"error":{"code":"ERR_INVALID_API_CALL_ID","message":"duplicate"}}"#),
        ])
        let metrics = TestMetrics()
        let client = HCXClient(
            baseURL: gateway.baseURL, httpClient: gateway.app.http.client.shared, retryPolicy: fast,
            metrics: HCXMetrics(factory: metrics), logger: Logger(label: "t"))
        _ = try await client.send(try envelope(), operation: .claimSubmit)
        _ = try? await client.send(try envelope(), operation: .claimSubmit)
        let operation = [("operation", "claim.submit")]
        #expect(try metrics.expectCounter(HCXMetrics.requestsTotal, operation).totalValue == 2)
        #expect(try metrics.expectTimer(HCXMetrics.requestDurationSeconds, operation).values.count == 2)
        #expect(
            try metrics.expectCounter(HCXMetrics.errorsTotal, operation + [("code", "ERR_INVALID_API_CALL_ID")])
                .totalValue
                == 1)
        try await gateway.stop()
    }
}
