import AsyncHTTPClient
import FHIR
import Foundation
import HCX
import HCXSandbox
import Logging
import NIOCore
import TestSupport
import Testing

/// Each gateway check answers its protocol error code (hcx-platform `api-gateway`; docs
/// reference/hcx-protocol.md §2.2, §4.2), one case per rule.
@Suite(.serialized) struct SandboxGatewayRuleTests {
    /// One rule: how to break it and the code the gateway must answer.
    struct Case: Sendable, CustomTestStringConvertible {
        let rule: String
        let code: HCXErrorCode
        let status: UInt
        /// Builds and posts the offending call: `(harness, token, payerKey)`.
        let call:
            @Sendable (SandboxHarness, String) async throws -> (status: UInt, acknowledgement: HCXAcknowledgement?)
        var testDescription: String { rule }
    }

    static let claim = #"{"resourceType":"Bundle","type":"collection","entry":[]}"#

    /// A sealed body to the payer with the headers `edit` leaves.
    static func body(
        _ harness: SandboxHarness, _ edit: (inout [String: JSONValue]) -> Void = { _ in }
    ) async throws -> Data {
        var header = harness.requestHeaders().protectedHeader
        edit(&header)
        let jwe = try CompactJWE.encrypt(
            Data(claim.utf8), header: header, to: try await harness.connection.recipientKey(SandboxHarness.payerCode))
        return try JSONEncoder().encode(HCXRequestBody(payload: jwe.serialized))
    }

    static let cases: [Case] = [
        Case(rule: "no bearer token", code: .accessDenied, status: 401) { harness, _ in
            try await harness.post(.claimSubmit, body: try await body(harness), token: nil)
        },
        Case(rule: "a forged bearer token", code: .accessDenied, status: 401) { harness, token in
            try await harness.post(.claimSubmit, body: try await body(harness), token: token + "x")
        },
        Case(rule: "body is not JSON", code: .invalidPayload, status: 400) { harness, token in
            try await harness.post(.claimSubmit, body: Data("payload=abc".utf8), token: token)
        },
        Case(rule: "payload is not a five-part JWE", code: .invalidPayload, status: 400) { harness, token in
            try await harness.post(.claimSubmit, body: Data(#"{"payload":"a.b.c.d"}"#.utf8), token: token)
        },
        Case(rule: "a request without payload", code: .invalidPayload, status: 400) { harness, token in
            let plain = try JSONEncoder().encode(harness.requestHeaders().protectedHeader)
            return try await harness.post(.claimSubmit, body: plain, token: token)
        },
        Case(rule: "mandatory header missing", code: .mandatoryHeaderFieldMissing, status: 400) { harness, token in
            try await harness.post(
                .claimSubmit, body: try await body(harness) { $0[HCXHeaders.Key.apiCallID] = nil }, token: token)
        },
        Case(rule: "sender not registered", code: .invalidSender, status: 400) { harness, token in
            try await harness.post(
                .claimSubmit,
                body: try await body(harness) { $0[HCXHeaders.Key.senderCode] = .string("ghost@nowhere") },
                token: token)
        },
        Case(rule: "sender is not the token owner", code: .accessDenied, status: 403) { harness, token in
            try await harness.post(
                .claimSubmit,
                body: try await body(harness) { $0[HCXHeaders.Key.senderCode] = .string(SandboxHarness.payerCode) },
                token: token)
        },
        Case(rule: "recipient not registered", code: .invalidRecipient, status: 400) { harness, token in
            try await harness.post(
                .claimSubmit,
                body: try await body(harness) { $0[HCXHeaders.Key.recipientCode] = .string("ghost@nowhere") },
                token: token)
        },
        Case(rule: "recipient not active", code: .invalidRecipient, status: 400) { harness, token in
            try await harness.post(
                .claimSubmit,
                body: try await body(harness) {
                    $0[HCXHeaders.Key.recipientCode] = .string("payer.lapsed@rcm-hcx-sandbox")
                },
                token: token)
        },
        Case(rule: "sender and recipient the same", code: .invalidSenderAndRecipient, status: 400) { harness, token in
            try await harness.post(
                .claimSubmit,
                body: try await body(harness) {
                    $0[HCXHeaders.Key.recipientCode] = .string(SandboxHarness.providerCode)
                }, token: token)
        },
        Case(rule: "a provider calling a payer's API", code: .accessDenied, status: 403) { harness, token in
            try await harness.post(
                .claimOnSubmit,
                body: try await body(harness) { $0[HCXHeaders.Key.status] = .string("response.complete") },
                token: token)
        },
        Case(rule: "timestamp not ISO 8601", code: .invalidTimestamp, status: 400) { harness, token in
            try await harness.post(
                .claimSubmit, body: try await body(harness) { $0[HCXHeaders.Key.timestamp] = .string("yesterday") },
                token: token)
        },
        Case(rule: "timestamp in the future", code: .invalidTimestamp, status: 400) { harness, token in
            let future = HCXTimestamp.string(from: Date().addingTimeInterval(3600))
            return try await harness.post(
                .claimSubmit, body: try await body(harness) { $0[HCXHeaders.Key.timestamp] = .string(future) },
                token: token)
        },
        Case(rule: "a request carrying a response status", code: .invalidStatus, status: 400) { harness, token in
            try await harness.post(
                .claimSubmit,
                body: try await body(harness) { $0[HCXHeaders.Key.status] = .string("response.complete") },
                token: token)
        },
        Case(rule: "api_call_id seen before", code: .invalidAPICallID, status: 400) { harness, token in
            let body = try await body(harness)
            let first = try await harness.post(.claimSubmit, body: body, token: token)
            guard first.status == 202 else { throw SandboxHarness.HarnessError("first call answered \(first.status)") }
            return try await harness.post(.claimSubmit, body: body, token: token)
        },
        Case(rule: "correlation id of another request", code: .invalidCorrelationID, status: 400) { harness, token in
            let correlation = UUID().uuidString.lowercased()
            let first = try await harness.post(
                .claimSubmit, body: try await body(harness) { $0[HCXHeaders.Key.correlationID] = .string(correlation) },
                token: token)
            guard first.status == 202 else { throw SandboxHarness.HarnessError("first call answered \(first.status)") }
            return try await harness.post(
                .claimSubmit, body: try await body(harness) { $0[HCXHeaders.Key.correlationID] = .string(correlation) },
                token: token)
        },
        Case(rule: "an on_* answering no open request", code: .invalidCorrelationID, status: 400) { harness, token in
            try await harness.post(
                .paymentNoticeOnRequest,
                body: try await body(harness) { $0[HCXHeaders.Key.status] = .string("response.complete") },
                token: token)
        },
        Case(rule: "workflow id changed within a cycle", code: .invalidWorkflowID, status: 400) { harness, token in
            // A claim with workflow W is paid by a notice carrying W; answering the notice with
            // another workflow id is refused.
            let workflow = UUID().uuidString.lowercased()
            let claimHeaders = harness.requestHeaders(workflowID: workflow)
            try await harness.send(
                try Data(contentsOf: Samples.shared("claim_request_bundle_v0.7.1_sdk.json")), operation: .claimSubmit,
                headers: claimHeaders)
            let notice = try await harness.delivery(.paymentNoticeRequest) { $0.workflowID == workflow }
            let noticeHeaders = try notice.message.headers
            return try await harness.post(
                .paymentNoticeOnRequest,
                body: try await body(harness) {
                    $0[HCXHeaders.Key.correlationID] = .string(noticeHeaders.correlationID)
                    $0[HCXHeaders.Key.workflowID] = .string(UUID().uuidString.lowercased())
                    $0[HCXHeaders.Key.status] = .string("response.complete")
                }, token: token)
        },
    ]

    @Test(.sharedSamples, arguments: cases) func eachRuleAnswersItsCode(_ rule: Case) async throws {
        try await SandboxHarness.with { harness in
            await harness.sandbox.register(
                SandboxParticipant(
                    code: "payer.lapsed@rcm-hcx-sandbox", roles: ["payor"], status: "Inactive",
                    endpointURL: harness.provider.baseURL,
                    encryptionCertificatePEM: try SandboxHarness.keys.payer.selfSignedCertificatePEM(
                        participantCode: "payer.lapsed@rcm-hcx-sandbox"),
                    username: "lapsed", secret: "lapsed"))
            let token = try await harness.token()
            let answer = try await rule.call(harness, token)
            #expect(answer.acknowledgement?.error?.code == rule.code)
            #expect(answer.status == rule.status)
            #expect(answer.acknowledgement?.error?.message.isEmpty == false)
        }
    }

    @Test(.sharedSamples) func aRefusedCallIsCountedAndNotForwarded() async throws {
        try await SandboxHarness.with { harness in
            let token = try await harness.token()
            let body = try await Self.body(harness)
            #expect(try await harness.post(.claimSubmit, body: body, token: token).status == 202)
            #expect(try await harness.post(.claimSubmit, body: body, token: token).status == 400)
            await harness.sandbox.waitUntilIdle()
            let apiCallID = try HCXInboundMessage(body: body).headers.apiCallID
            let counts = try await harness.sandbox.store.counts(apiCallID: apiCallID)
            #expect(counts.accepted == 1)
            #expect(counts.refusalsByCode == ["ERR_INVALID_API_CALL_ID": 1])
            // Delivered to the payer once; the payer's error answer (an empty bundle is no claim).
            #expect(counts.deliveries == 1)
        }
    }

    @Test(.sharedSamples) func theStatusAPIAnswersForACycle() async throws {
        try await SandboxHarness.with { harness in
            let headers = harness.requestHeaders()
            try await harness.send(
                try Data(contentsOf: Samples.shared("claim_request_bundle_v0.7.1_sdk.json")), operation: .claimSubmit,
                headers: headers)
            _ = try await harness.delivery(.claimOnSubmit) { $0.correlationID == headers.correlationID }
            let status = harness.requestHeaders(correlationID: headers.correlationID)
            let envelope = try HCXEnvelope.seal(
                Data(#"{"resourceType":"Task","status":"requested","intent":"order"}"#.utf8), headers: status,
                to: try await harness.connection.recipientKey(SandboxHarness.payerCode))
            let ack = try await harness.connection.send(envelope, operation: .statusRequest)
            #expect(ack.result?["entity_type"]?.stringValue == "claim")
            #expect(ack.result?["protocol_status"]?.stringValue == "request.dispatched")
            #expect(ack.result?["response_status"]?.stringValue == "response.complete")
            #expect(ack.result?["recipient_code"]?.stringValue == SandboxHarness.payerCode)
        }
    }

    @Test func otherErrorsAnswerInTheGatewaysShape() async throws {
        try await SandboxHarness.with { harness in
            let client = harness.provider.app.http.client.shared
            var search = HTTPClientRequest(url: harness.sandbox.baseURL + "/participant/search")
            search.method = .POST
            search.headers.add(name: "Authorization", value: "Bearer \(try await harness.token())")
            search.body = .bytes(ByteBuffer(string: "garbage"))
            let refused = try await client.execute(search, timeout: .seconds(10))
            #expect(refused.status == .badRequest)
            let body = try await refused.body.collect(upTo: 1 << 16)
            let ack = try JSONDecoder().decode(HCXAcknowledgement.self, from: Data(buffer: body))
            #expect(ack.error?.code.rawValue == "ERR_INVALID_REQUEST")

            let missing = try await client.execute(
                HTTPClientRequest(url: harness.sandbox.baseURL + "/no/such/route"), timeout: .seconds(10))
            #expect(missing.status == .notFound)
            let missingAck = try JSONDecoder().decode(
                HCXAcknowledgement.self, from: Data(buffer: try await missing.body.collect(upTo: 1 << 16)))
            #expect(missingAck.error?.code.rawValue == "ERR_INVALID_REQUEST")
        }
    }
}
