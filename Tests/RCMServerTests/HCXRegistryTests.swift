import FHIR
import Foundation
import HCX
import Logging
import MetricsTestKit
import NIOConcurrencyHelpers
import Testing
import Vapor

/// The token manager and registry client against a gateway stand-in on loopback that serves
/// `/participant/auth/token/generate`, `/participant/search` and a certificate URL.
@Suite struct HCXRegistryTests {
    final class Gateway: Sendable {
        let server: LoopbackServer
        let tokenRequests = NIOLockedValueBox(0)
        let searches = NIOLockedValueBox(0)
        let forms = NIOLockedValueBox<[String]>([])
        var app: Application { server.app }
        var baseURL: String { server.baseURL }

        init(expiresIn: Int, certificate: String, status: String = "Active") async throws {
            let (tokenRequests, searches, forms) = (self.tokenRequests, self.searches, self.forms)
            server = try await LoopbackServer { app in
                app.post("v0.7", "participant", "auth", "token", "generate") { request -> Response in
                    let number = tokenRequests.withLockedValue { count in
                        count += 1
                        return count
                    }
                    forms.withLockedValue { $0.append(request.body.string ?? "") }
                    return Response(
                        status: .ok, headers: ["Content-Type": "application/json"],
                        body: .init(
                            string:
                                #"{"access_token":"token-\#(number)","expires_in":\#(expiresIn),"token_type":"Bearer"}"#
                        ))
                }
                app.post("v0.7", "participant", "search") { request -> Response in
                    searches.withLockedValue { $0 += 1 }
                    guard request.headers.bearerAuthorization?.token.hasPrefix("token-") == true else {
                        return Response(status: .unauthorized)
                    }
                    let filter = try JSONDecoder().decode(
                        JSONValue.self, from: Data(buffer: request.body.data ?? ByteBuffer()))
                    let code = filter["filters"]?["participant_code"]?["eq"]?.stringValue ?? ""
                    guard code == "payer@x" else {
                        return Response(status: .ok, body: .init(string: #"{"participants":[]}"#))
                    }
                    let port = request.application.http.server.shared.localAddress!.port!
                    return Response(
                        status: .ok, headers: ["Content-Type": "application/json"],
                        body: .init(
                            string:
                                #"{"participants":[{"participant_code":"payer@x","participant_name":"Payer","status":"\#(status)","roles":["payor"],"encryption_cert":"http://127.0.0.1:\#(port)/certs/payer.pem","endpoint_url":"http://payer.example/v0.7"}]}"#
                        ))
                }
                app.get("certs", "payer.pem") { _ in certificate }
            }
        }

        func stop() async throws { try await server.stop() }
    }

    @Test func tokensAreCachedUntilShortlyBeforeExpiryAndSentAsAForm() async throws {
        let gateway = try await Gateway(expiresIn: 120, certificate: "")
        let clock = NIOLockedValueBox(Date(timeIntervalSince1970: 1_800_000_000))
        let metrics = TestMetrics()
        let tokens = HCXTokenManager(
            baseURL: gateway.baseURL,
            credentials: .apiAccess(participantCode: "provider@x", username: "ops user", secret: "s&cret=1"),
            httpClient: gateway.app.http.client.shared, refreshMarginSeconds: 60,
            now: { clock.withLockedValue { $0 } }, metrics: HCXMetrics(factory: metrics),
            logger: Logger(label: "t"))
        // Concurrent first callers share one request.
        async let first = tokens.token()
        async let second = tokens.token()
        #expect(try await [first, second] == ["token-1", "token-1"])
        clock.withLockedValue { $0 = $0.addingTimeInterval(59) }
        #expect(try await tokens.token() == "token-1")
        clock.withLockedValue { $0 = $0.addingTimeInterval(2) }  // within 60 s of expiry: refresh
        #expect(try await tokens.token() == "token-2")
        await tokens.invalidate()
        #expect(try await tokens.token() == "token-3")
        #expect(gateway.tokenRequests.withLockedValue { $0 } == 3)
        #expect(try metrics.expectCounter(HCXMetrics.tokenRefreshesTotal).totalValue == 3)
        #expect(
            gateway.forms.withLockedValue { $0.first }
                == "participant_code=provider%40x&username=ops+user&secret=s%26cret%3D1")
        try await gateway.stop()
    }

    /// A registry client (with its token manager) talking to `gateway`.
    func registry(at gateway: Gateway) -> HCXRegistry {
        let client = gateway.app.http.client.shared
        let tokens = HCXTokenManager(
            baseURL: gateway.baseURL, credentials: .participant(username: "u", password: "p"), httpClient: client,
            logger: Logger(label: "t"))
        return HCXRegistry(baseURL: gateway.baseURL, httpClient: client, tokens: tokens, logger: Logger(label: "t"))
    }

    @Test func theRegistryGivesTheRecipientsCertificateKey() async throws {
        let payerKey = try RSAPrivateKey.generate()
        let gateway = try await Gateway(
            expiresIn: 3600, certificate: try payerKey.selfSignedCertificatePEM(participantCode: "payer@x"))
        let registry = registry(at: gateway)
        let record = try await registry.participant("payer@x")
        #expect(record.endpointURL == "http://payer.example/v0.7")
        #expect(record.roles == ["payor"])
        let key = try await registry.encryptionKey(for: "payer@x")
        let jwe = try CompactJWE.encrypt(Data("hello".utf8), header: [:], to: key)
        #expect(try jwe.decrypt(with: payerKey) == Data("hello".utf8))
        _ = try await registry.encryptionKey(for: "payer@x")  // cached: no new token, no new search
        #expect(gateway.tokenRequests.withLockedValue { $0 } == 1)
        #expect(gateway.searches.withLockedValue { $0 } == 2)  // participant(_:) above, then the first key
        await registry.invalidateKey(for: "payer@x")
        _ = try await registry.encryptionKey(for: "payer@x")
        #expect(gateway.searches.withLockedValue { $0 } == 3)
        await #expect(throws: HCXProtocolError(.invalidRecipient, "participant 'nobody@x' is not registered")) {
            try await registry.participant("nobody@x")
        }
        try await gateway.stop()
    }

    @Test func anInactiveParticipantIsRefused() async throws {
        let gateway = try await Gateway(expiresIn: 3600, certificate: "", status: "Blocked")
        let registry = registry(at: gateway)
        await #expect(throws: HCXProtocolError(.invalidRecipient, "participant 'payer@x' is Blocked")) {
            try await registry.encryptionKey(for: "payer@x")
        }
        try await gateway.stop()
    }
}
