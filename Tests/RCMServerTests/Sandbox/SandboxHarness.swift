import AsyncHTTPClient
import FHIR
import Foundation
import HCX
import HCXSandbox
import Logging
import NIOConcurrencyHelpers
import Vapor

/// A sandbox in memory and a test provider on loopback that records every call the gateway
/// delivers to it: the counterpart for sandbox tests, over real HTTP.
final class SandboxHarness: Sendable {
    /// A call delivered to the provider.
    struct Delivery: Sendable {
        let path: String
        let body: Data
        let authorization: String?

        var message: HCXInboundMessage { get throws { try HCXInboundMessage(body: body) } }
    }

    static let providerCode = "provider.test@rcm-hcx-sandbox"
    static let payerCode = "payer.sandbox@rcm-hcx-sandbox"

    private let current: NIOLockedValueBox<SandboxServer>
    let provider: LoopbackServer
    let providerKey: RSAPrivateKey
    let connection: HCXConnection
    private let received: NIOLockedValueBox<[Delivery]>

    private init(
        sandbox: SandboxServer, provider: LoopbackServer, providerKey: RSAPrivateKey, connection: HCXConnection,
        received: NIOLockedValueBox<[Delivery]>
    ) {
        self.current = NIOLockedValueBox(sandbox)
        self.provider = provider
        self.providerKey = providerKey
        self.connection = connection
        self.received = received
    }

    /// Keys are generated once per test process (RSA key generation is slow in debug builds).
    static let keys: (gateway: RSAPrivateKey, payer: RSAPrivateKey, provider: RSAPrivateKey) = (
        try! RSAPrivateKey.generate(), try! RSAPrivateKey.generate(), try! RSAPrivateKey.generate()
    )

    /// The sandbox (a new one after ``restartSandbox(rules:)``).
    var sandbox: SandboxServer { current.withLockedValue { $0 } }

    static func startSandbox(rules: SandboxRules, databasePath: String?, port: Int = 0) async throws
        -> SandboxServer
    {
        try await SandboxServer.start(
            SandboxConfiguration(
                port: port, gatewayKey: keys.gateway, payerCode: payerCode, payerKey: keys.payer,
                payerCertificatePEM: try keys.payer.selfSignedCertificatePEM(participantCode: payerCode), rules: rules,
                databasePath: databasePath, deliveryRetry: HCXRetryPolicy(maxAttempts: 2, initialDelaySeconds: 0.05),
                deliveryRetryScheduleSeconds: [0.2]),
            logger: Logger(label: "test.sandbox"))
    }

    private static func registerProvider(on sandbox: SandboxServer, endpointURL: String) async throws {
        await sandbox.register(
            SandboxParticipant(
                code: providerCode, roles: ["provider"], endpointURL: endpointURL,
                encryptionCertificatePEM: try keys.provider.selfSignedCertificatePEM(participantCode: providerCode),
                username: "test-provider", secret: "test-secret"))
    }

    /// Stops the sandbox and starts another on the same port and state file (an interrupted run
    /// and the next one), then lets it finish what was left.
    func restartSandbox(rules: SandboxRules = .default) async throws {
        let old = sandbox
        let port = URL(string: old.baseURL)?.port ?? 0
        await old.shutdown()
        let new = try await Self.startSandbox(rules: rules, databasePath: old.configuration.databasePath, port: port)
        try await Self.registerProvider(on: new, endpointURL: provider.baseURL)
        current.withLockedValue { $0 = new }
        try await new.resumeUnfinishedWork()
    }

    static func start(
        rules: SandboxRules = .default, answerStatus: HTTPResponseStatus = .accepted, databasePath: String? = nil
    ) async throws -> SandboxHarness {
        let keys = Self.keys
        let sandbox = try await startSandbox(rules: rules, databasePath: databasePath)
        let received = NIOLockedValueBox<[Delivery]>([])
        let provider = try await LoopbackServer { app in
            app.routes.defaultMaxBodySize = "10mb"
            for operation in HCXOperation.providerInbound {
                app.on(
                    .POST, operation.routeComponents(versionPrefix: "/v0.7").map { PathComponent(stringLiteral: $0) }
                ) {
                    request async throws -> Response in
                    let delivery = Delivery(
                        path: operation.path, body: Data(buffer: request.body.data ?? ByteBuffer()),
                        authorization: request.headers.first(name: .authorization))
                    received.withLockedValue { $0.append(delivery) }
                    let headers = try? delivery.message.headers
                    let ack = HCXAcknowledgement(
                        timestamp: Date(), correlationID: headers?.correlationID, apiCallID: headers?.apiCallID)
                    return Response(status: answerStatus, body: .init(data: try JSONEncoder().encode(ack)))
                }
            }
        }
        try await registerProvider(on: sandbox, endpointURL: provider.baseURL)
        let connection = HCXConnection.gateway(
            participantCode: providerCode, baseURL: sandbox.baseURL,
            credentials: .apiAccess(participantCode: providerCode, username: "test-provider", secret: "test-secret"),
            privateKey: keys.provider, httpClient: provider.app.http.client.shared, logger: Logger(label: "test.client")
        )
        return SandboxHarness(
            sandbox: sandbox, provider: provider, providerKey: keys.provider, connection: connection, received: received
        )
    }

    func stop() async throws {
        await sandbox.shutdown()
        try await provider.stop()
    }

    /// Runs `body` with a started harness and stops it afterwards.
    static func with<T>(
        rules: SandboxRules = .default, answerStatus: HTTPResponseStatus = .accepted, databasePath: String? = nil,
        _ body: (SandboxHarness) async throws -> T
    ) async throws -> T {
        let harness = try await start(rules: rules, answerStatus: answerStatus, databasePath: databasePath)
        do {
            let result = try await body(harness)
            try await harness.stop()
            return result
        } catch {
            try? await harness.stop()
            throw error
        }
    }

    /// Headers for a new request from the test provider to the sandbox payer.
    func requestHeaders(correlationID: String = UUID().uuidString.lowercased(), workflowID: String? = nil)
        -> HCXHeaders
    {
        HCXHeaders(
            senderCode: Self.providerCode, recipientCode: Self.payerCode, correlationID: correlationID,
            workflowID: workflowID, timestamp: HCXTimestamp.string(from: Date()))
    }

    /// Seals a FHIR resource for the payer (its key found through the sandbox registry) and sends it.
    @discardableResult
    func send(_ resource: Data, operation: HCXOperation, headers: HCXHeaders) async throws -> HCXEnvelope {
        let envelope = try HCXEnvelope.seal(
            resource, headers: headers, to: try await connection.recipientKey(headers.recipientCode))
        _ = try await connection.send(envelope, operation: operation)
        return envelope
    }

    /// An access token from the sandbox's token endpoint.
    func token(username: String = "test-provider", secret: String = "test-secret") async throws -> String {
        var request = HTTPClientRequest(url: sandbox.baseURL + "/participant/auth/token/generate")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: "username=\(username)&secret=\(secret)"))
        // 30 s, as the other calls: a full `swift test` on 2 cores once took over 10 s to answer it.
        let response = try await provider.app.http.client.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok,
            let token = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: body))["access_token"]?.stringValue
        else { throw HarnessError("token endpoint answered \(response.status)") }
        return token
    }

    /// Posts a raw body to a protocol API of the sandbox gateway.
    func post(_ operation: HCXOperation, body: Data, token: String?) async throws -> (
        status: UInt, acknowledgement: HCXAcknowledgement?
    ) {
        var request = HTTPClientRequest(url: sandbox.baseURL + operation.path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(data: body))
        let response = try await provider.app.http.client.shared.execute(request, timeout: .seconds(30))
        let answer = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, try? JSONDecoder().decode(HCXAcknowledgement.self, from: Data(buffer: answer)))
    }

    /// Every call delivered so far.
    var deliveries: [Delivery] { received.withLockedValue { $0 } }

    /// Waits for a delivery to `operation` matching `where`, up to `seconds`.
    func delivery(
        _ operation: HCXOperation, seconds: Double = 20, where matches: @Sendable (HCXHeaders) -> Bool = { _ in true }
    ) async throws -> Delivery {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let found = deliveries.first(where: {
                $0.path == operation.path && (try? $0.message.headers).map(matches) == true
            }) {
                return found
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError("no \(operation.path) delivered within \(seconds) s")
    }

    /// Decrypts a delivery with the provider's key.
    func open(_ delivery: Delivery) throws -> Data {
        guard let envelope = try delivery.message.envelope else { throw HarnessError("not encrypted") }
        return try envelope.open(with: providerKey)
    }

    struct HarnessError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
