import FHIR
import Fluent
import Foundation
import HCX
import Logging
import RCMCore
import RevenueCycle
import Testing
import Vapor
import VaporTesting

@testable import RCMServer

/// `POST /v0.7/claim/on_submit` answering as the HCX protocol requires, on SQLite.
@Suite(.serialized) struct HCXCallbackRouteTests {
    /// The gateway key whose signature callbacks must carry.
    static let gatewayKey = try! RSAPrivateKey.generate()

    /// An `Authorization` header with a gateway JWT signed by `key` (the gateway's by default).
    func authorized(by key: RSAPrivateKey = gatewayKey, now: Date = Date()) async throws -> HTTPHeaders {
        let token = try await HCXGatewayAuthenticator.signing(with: key, gatewayCode: "gw@x").token(now: now)
        return ["Authorization": "Bearer \(token)"]
    }

    /// An app with the callback route, a stored claim submitted under correlation id `corr-1`, and
    /// the provider key callbacks are encrypted to.
    func withCallbackApp(
        maxBodyBytes: Int? = nil, _ body: (Application, RSAPrivateKey) async throws -> Void
    ) async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rcm-callback-\(UUID()).sqlite")
        defer { try? FileManager.default.removeItem(at: file) }
        var environment = ["DATABASE_URL": "sqlite://\(file.path)"]
        if let maxBodyBytes { environment["HCX_MAX_BODY_BYTES"] = "\(maxBodyBytes)" }
        let configuration = try RCMConfiguration(environment: environment)
        try await TestDatabase.withApp(configuration) { app in
            try await app.autoMigrate()
            let providerKey = try RSAPrivateKey.generate()
            let hcx = HCXConnection(
                participantCode: configuration.participantCode,
                client: HCXClient(
                    baseURL: "http://127.0.0.1:1/v0.7", httpClient: app.http.client.shared, logger: app.logger),
                privateKey: providerKey, recipientKey: { _ in providerKey.publicKey })
            let services = try ClaimServices(
                database: app.db, configuration: configuration, hcx: hcx, codeSets: CodeSetCatalog(releases: []),
                logger: app.logger)
            try configureHCXCallbacks(
                app, configuration, services: services,
                gateway: try await .verifying(
                    gatewayCertificateOrPublicKeyPEM: Self.gatewayKey.publicKey.pemRepresentation))
            let data = try Data(contentsOf: Samples.own("claim-approved-outpatient-visit.json"))
            let (claimID, _) = try await services.claims.intake(
                try ClaimSubmission(try ClaimBundle.read(data)[0].get()))
            let headers = HCXHeaders(
                senderCode: configuration.participantCode, recipientCode: configuration.recipientCode,
                apiCallID: "out-1", correlationID: "corr-1", timestamp: HCXTimestamp.string(from: Date()))
            _ = try await FluentHCXMessageLog(database: app.db).record(
                HCXMessageRecord(
                    direction: .outbound, operation: .claimSubmit, headers: headers, claimID: claimID,
                    body: #"{"payload":"x"}"#, createdAt: Date()))
            try await body(app, providerKey)
        }
    }

    func callback(to key: RSAPrivateKey, timestamp: Date = Date(), correlationID: String = "corr-1") throws
        -> ByteBuffer
    {
        let configuration = try RCMConfiguration(environment: [:])
        let headers = HCXHeaders(
            senderCode: configuration.recipientCode, recipientCode: configuration.participantCode, apiCallID: "in-1",
            correlationID: correlationID, timestamp: HCXTimestamp.string(from: timestamp), status: .responseComplete)
        let envelope = try HCXEnvelope.seal(Data("{}".utf8), headers: headers, to: key.publicKey)
        return ByteBuffer(data: try JSONEncoder().encode(envelope.body))
    }

    func errorCode(_ response: TestingHTTPResponse) throws -> String? {
        try JSONDecoder().decode(HCXAcknowledgement.self, from: Data(buffer: response.body)).error?.code.rawValue
    }

    @Test func aCallbackIsAcknowledgedOnceAndRecordedOnce() async throws {
        try await withCallbackApp { app, key in
            let body = try callback(to: key)
            for _ in 0..<2 {
                try await app.testing().test(.POST, "v0.7/claim/on_submit", headers: try await authorized(), body: body)
                { response async throws in
                    #expect(response.status == .accepted)
                    let ack = try JSONDecoder().decode(HCXAcknowledgement.self, from: Data(buffer: response.body))
                    #expect(ack.correlationID == "corr-1")
                    #expect(ack.apiCallID == "in-1")
                    #expect(ack.error == nil)
                }
            }
            #expect(try await HCXMessageModel.query(on: app.db).filter(\.$direction == "inbound").count() == 1)
        }
    }

    @Test func protocolErrorsAnswerWithTheirCodes() async throws {
        try await withCallbackApp { app, key in
            let cases: [(ByteBuffer, String)] = [
                (ByteBuffer(string: "not json"), "ERR_INVALID_PAYLOAD"),
                (ByteBuffer(string: #"{"payload":"a.b.c"}"#), "ERR_INVALID_PAYLOAD"),
                (try callback(to: key, correlationID: "never-sent"), "ERR_INVALID_CORRELATION_ID"),
                (try callback(to: key, timestamp: Date().addingTimeInterval(3600)), "ERR_INVALID_TIMESTAMP"),
            ]
            for (body, code) in cases {
                try await app.testing().test(.POST, "v0.7/claim/on_submit", headers: try await authorized(), body: body)
                { response async throws in
                    #expect(response.status == .badRequest)
                    #expect(try errorCode(response) == code)
                }
            }
            #expect(try await HCXMessageModel.query(on: app.db).filter(\.$direction == "inbound").count() == 0)
        }
    }

    @Test func anOversizedBodyIsRefusedWithoutBeingRead() async throws {
        try await withCallbackApp(maxBodyBytes: 2048) { app, key in
            let big = ByteBuffer(string: #"{"payload":""# + String(repeating: "a", count: 4096) + #""}"#)
            try await app.testing().test(.POST, "v0.7/claim/on_submit", headers: try await authorized(), body: big) {
                response async throws in
                #expect(response.status == .payloadTooLarge)
                #expect(try errorCode(response) == "ERR_INVALID_PAYLOAD")
            }
        }
    }

    /// A plain-JSON protocol response body (no `payload`) with `headers` as its members.
    func plain(_ headers: HCXHeaders) throws -> ByteBuffer {
        ByteBuffer(data: try JSONEncoder().encode(JSONValue.object(headers.protectedHeader)))
    }

    @Test func aPlainErrorResponseMarksTheClaimFailedWithThePayersError() async throws {
        try await withCallbackApp { app, _ in
            let configuration = try RCMConfiguration(environment: [:])
            let headers = HCXHeaders(
                senderCode: configuration.recipientCode, recipientCode: configuration.participantCode,
                apiCallID: "err-1",
                correlationID: "corr-1", timestamp: HCXTimestamp.string(from: Date()), status: .responseError,
                errorDetails: ["code": .string("ERR_INVALID_ENCRYPTION"), "message": .string("cannot decrypt")])
            try await app.testing().test(
                .POST, "v0.7/claim/on_submit", headers: try await authorized(), body: try plain(headers)
            ) {
                response async throws in
                #expect(response.status == .accepted)
            }
            // Processing runs after the acknowledgement; wait for it.
            var message: HCXMessageModel?
            for _ in 0..<100 {
                message = try await HCXMessageModel.query(on: app.db).filter(\.$apiCallID == "err-1").first()
                if message?.processedAt != nil { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(message?.processingError == "ERR_INVALID_ENCRYPTION: cannot decrypt")
            let claim = try #require(try await ClaimModel.query(on: app.db).first())
            #expect(claim.outcome == "failed")
            // The payer's reason is on the claim, for the biller (it was only on the message).
            let stored = try await FluentClaimRepository(database: app.db).claim(ClaimID(try claim.requireID()))
            #expect(
                stored.claim.findings.contains {
                    $0.field == "x-hcx-error_details"
                        && $0.message == "the payer answered ERR_INVALID_ENCRYPTION: cannot decrypt"
                })
        }
    }

    @Test func payerInitiatedRequestsAreRecordedAndOtherCallbacksChecked() async throws {
        try await withCallbackApp { app, key in
            let configuration = try RCMConfiguration(environment: [:])
            func encrypted(_ headers: HCXHeaders) throws -> ByteBuffer {
                let envelope = try HCXEnvelope.seal(
                    Data(#"{"resourceType":"PaymentNotice"}"#.utf8), headers: headers, to: key.publicKey)
                return ByteBuffer(data: try JSONEncoder().encode(envelope.body))
            }
            let notice = HCXHeaders(
                senderCode: configuration.recipientCode, recipientCode: configuration.participantCode,
                apiCallID: "pn-1",
                correlationID: "new-cycle", timestamp: HCXTimestamp.string(from: Date()))
            try await app.testing().test(
                .POST, "v0.7/paymentnotice/request", headers: try await authorized(), body: try encrypted(notice)
            ) {
                response async throws in
                #expect(response.status == .accepted)
            }
            // Recorded, then handed to payment posting: a notice without identifier or amount is
            // marked processed with the reason (nothing is posted).
            var stored = try await HCXMessageModel.query(on: app.db).filter(\.$apiCallID == "pn-1").first()
            #expect(stored?.operation == "/paymentnotice/request")
            for _ in 0..<100 where stored?.processedAt == nil {
                try await Task.sleep(for: .milliseconds(20))
                stored = try await HCXMessageModel.query(on: app.db).filter(\.$apiCallID == "pn-1").first()
            }
            #expect(stored?.processingError?.hasPrefix("ERR_INVALID_DOMAIN_PAYLOAD: PaymentNotice.identifier") == true)

            var eligibility = notice
            eligibility.apiCallID = "el-1"
            try await app.testing().test(
                .POST, "v0.7/coverageeligibility/on_check", headers: try await authorized(),
                body: try encrypted(eligibility)
            ) {
                response async throws in
                #expect(try errorCode(response) == "ERR_INVALID_STATUS")
            }
            eligibility.status = .responseComplete
            try await app.testing().test(
                .POST, "v0.7/coverageeligibility/on_check", headers: try await authorized(),
                body: try encrypted(eligibility)
            ) {
                response async throws in
                #expect(try errorCode(response) == "ERR_INVALID_CORRELATION_ID")
            }
            var notAnError = notice
            notAnError.status = .responseComplete
            try await app.testing().test(
                .POST, "v0.7/claim/on_submit", headers: try await authorized(), body: try plain(notAnError)
            ) {
                response async throws in
                #expect(try errorCode(response) == "ERR_INVALID_PAYLOAD")
            }
        }
    }

    @Test func callsWithoutTheGatewaysValidTokenAreRefused() async throws {
        try await withCallbackApp { app, key in
            let body = try callback(to: key)
            let cases: [(HTTPHeaders, String)] = [
                ([:], "the gateway's bearer token is missing"),
                (
                    try await authorized(by: try RSAPrivateKey.generate()),
                    "the gateway's bearer token is not valid (signature or format)"
                ),
                (
                    try await authorized(now: Date().addingTimeInterval(-2 * 86_400)),
                    "the gateway's bearer token has expired"
                ),
                (
                    ["Authorization": "Bearer not.a.jwt"],
                    "the gateway's bearer token is not valid (signature or format)"
                ),
            ]
            for (headers, message) in cases {
                try await app.testing().test(.POST, "v0.7/claim/on_submit", headers: headers, body: body) {
                    response async throws in
                    #expect(response.status == .unauthorized)
                    let ack = try JSONDecoder().decode(HCXAcknowledgement.self, from: Data(buffer: response.body))
                    #expect(ack.error?.code == .accessDenied)
                    #expect(ack.error?.message == message)
                }
            }
            #expect(try await HCXMessageModel.query(on: app.db).filter(\.$direction == "inbound").count() == 0)
        }
    }
}
