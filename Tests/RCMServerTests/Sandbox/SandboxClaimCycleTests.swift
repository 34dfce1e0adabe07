import FHIR
import Foundation
import HCX
import HCXSandbox
import RCMCore
import TestSupport
import Testing

/// The HCX client from the protocol work against the sandbox over real HTTP on loopback: token,
/// registry lookup, JWE both ways, gateway-signed callbacks, rules-driven answers.
@Suite(.serialized, .sharedSamples) struct SandboxClaimCycleTests {
    @Test func theSDKSampleClaimComesBackWithTheAmountsTheRulesImplyAndIsPaid() async throws {
        try await SandboxHarness.with { harness in
            let bundle = try Data(contentsOf: Samples.shared("claim_request_bundle_v0.7.1_sdk.json"))
            let headers = harness.requestHeaders(workflowID: "c0ffee00-0000-4000-8000-000000000001")
            try await harness.send(bundle, operation: .claimSubmit, headers: headers)

            let callback = try await harness.delivery(.claimOnSubmit) { $0.correlationID == headers.correlationID }
            #expect(callback.authorization?.hasPrefix("Bearer ") == true)
            let message = try callback.message
            #expect(message.headers.status == .responseComplete)
            #expect(message.headers.senderCode == SandboxHarness.payerCode)
            #expect(message.headers.recipientCode == SandboxHarness.providerCode)
            #expect(message.headers.workflowID == headers.workflowID)
            #expect(message.headers.apiCallID != headers.apiCallID)

            let responseBundle = try JSONDecoder().decode(FHIR.Bundle.self, from: try harness.open(callback))
            #expect(responseBundle.type == "collection")
            let response = try #require(responseBundle.firstEntry(ofType: "ClaimResponse")).resource(
                as: FHIRClaimResponse.self)
            let claim = try ClaimBundle.read(bundle)[0].get().claim.toDomain()
            let adjudication = try response.toAdjudication(of: claim)
            // Default rules, member 2XX8971 (sum insured 500,000, co-pay 10 %):
            // line 1 E101021 room rent 100,000 → capped at 50,000, co-pay 5,000, benefit 45,000;
            // line 10 406003 IV set 5,000 → excluded; the other 11 lines, 41,000 → co-pay 4,100.
            let first = adjudication.lines[0]
            #expect(first.submitted.description == "INR 100000.00")
            #expect(first.eligible?.description == "INR 50000.00")
            #expect(first.copay?.description == "INR 5000.00")
            #expect(first.approved.description == "INR 45000.00")
            #expect(first.reasons == [SandboxReason.overLineLimit])
            let ivSet = adjudication.lines[9]
            #expect(ivSet.approved.description == "INR 0.00")
            #expect(ivSet.reasons == [SandboxReason.excludedService])
            #expect(adjudication.lines[1].approved.description == "INR 1800.00")
            #expect(adjudication.approvedTotal.description == "INR 81900.00")
            #expect(adjudication.outcome == .partiallyApproved)

            // The payment for the approved amount follows through /paymentnotice/request.
            let paymentCall = try await harness.delivery(.paymentNoticeRequest) { $0.workflowID == headers.workflowID }
            let notice = try JSONDecoder().decode(PaymentNotice.self, from: try harness.open(paymentCall))
            let payment = try notice.toPayment()
            #expect(payment.amount.description == "INR 81900.00")
            #expect(payment.kind == "paid")

            await harness.sandbox.waitUntilIdle()
            let counts = try await harness.sandbox.store.counts(correlationID: headers.correlationID)
            #expect(counts.byOperation == ["claim.submit": 1, "claim.on_submit": 1])
            #expect(counts.deliveries == 2)
            #expect(counts.refused == 0)
        }
    }

    @Test func eligibilityIsAnsweredForTheDateOfService() async throws {
        try await SandboxHarness.with { harness in
            let samples = try JSONDecoder().decode(
                [JSONValue].self,
                from: try Data(contentsOf: Samples.shared("coverage_eligibility_request_bundles_v0.7.1.json")))
            let sample = try JSONEncoder().encode(samples[0])
            // The sample asks about 0026-12-13 (year 26): outside the member's cover.
            let asIs = harness.requestHeaders()
            try await harness.send(sample, operation: .coverageEligibilityCheck, headers: asIs)
            let outside = try await eligibility(harness, asIs)
            #expect(outside.inForce == false)
            #expect(outside.errors == [SandboxReason.notCoveredOnDate])

            let fixed = Data(
                String(decoding: sample, as: UTF8.self).replacingOccurrences(of: "0026-12-13", with: "2026-12-13").utf8)
            let inside = harness.requestHeaders()
            try await harness.send(fixed, operation: .coverageEligibilityCheck, headers: inside)
            let covered = try await eligibility(harness, inside)
            #expect(covered.inForce)
            #expect(covered.errors.isEmpty)
            #expect(covered.benefits.first?.allowed?.description == "INR 500000.00")
            #expect(covered.benefits.first?.used?.description == "INR 0.00")
        }
    }

    private func eligibility(_ harness: SandboxHarness, _ headers: HCXHeaders) async throws -> EligibilityResult {
        let callback = try await harness.delivery(.coverageEligibilityOnCheck) {
            $0.correlationID == headers.correlationID
        }
        let bundle = try JSONDecoder().decode(FHIR.Bundle.self, from: try harness.open(callback))
        return try #require(bundle.firstEntry(ofType: "CoverageEligibilityResponse"))
            .resource(as: CoverageEligibilityResponse.self).toEligibilityResult()
    }

    @Test func aPreauthorisationGetsAReferenceAndConsumesNothing() async throws {
        try await SandboxHarness.with { harness in
            var claim = try JSONDecoder().decode(
                JSONValue.self, from: try Data(contentsOf: Samples.shared("claim_request_bundle_v0.7.1_sdk.json")))
            claim = try Self.setClaimUse("preauthorization", in: claim)
            let headers = harness.requestHeaders()
            try await harness.send(try JSONEncoder().encode(claim), operation: .preauthSubmit, headers: headers)
            let callback = try await harness.delivery(.preauthOnSubmit) { $0.correlationID == headers.correlationID }
            let bundle = try JSONDecoder().decode(FHIR.Bundle.self, from: try harness.open(callback))
            let response = try #require(bundle.firstEntry(ofType: "ClaimResponse")).resource(as: FHIRClaimResponse.self)
            #expect(response.use == "preauthorization")
            #expect(response.preAuthRef?.hasPrefix("PA-") == true)
            #expect(response.total?.first { $0.category.coding?.first?.code == "benefit" }?.amount.value == 81_900)
            await harness.sandbox.waitUntilIdle()
            // No payment for a pre-authorisation, and the sum insured is untouched.
            #expect(!harness.deliveries.contains { $0.path == HCXOperation.paymentNoticeRequest.path })
        }
    }

    /// The bundle with its Claim's `use` replaced.
    static func setClaimUse(_ use: String, in bundle: JSONValue) throws -> JSONValue {
        guard case .object(var members) = bundle, case .array(var entries)? = members["entry"] else {
            throw SandboxHarness.HarnessError("not a bundle")
        }
        for (index, entry) in entries.enumerated() {
            guard case .object(var entryMembers) = entry, case .object(var resource)? = entryMembers["resource"],
                resource["resourceType"]?.stringValue == "Claim"
            else { continue }
            resource["use"] = .string(use)
            entryMembers["resource"] = .object(resource)
            entries[index] = .object(entryMembers)
        }
        members["entry"] = .array(entries)
        return .object(members)
    }

    @Test func aCallbackTheSandboxCouldNotDeliverIsDeliveredAfterARestart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var rules = SandboxRules.default
        // Every callback is held back 60 s: the run is interrupted before any is delivered.
        rules.faults = SandboxFaults(seed: 3, lateCallbackRate: 1, lateSeconds: 60)
        rules.payment.send = false
        try await SandboxHarness.with(rules: rules, databasePath: folder.appendingPathComponent("sandbox.sqlite").path)
        {
            harness in
            let bundle = try Data(contentsOf: Samples.shared("claim_request_bundle_v0.7.1_sdk.json"))
            let headers = harness.requestHeaders()
            try await harness.send(bundle, operation: .claimSubmit, headers: headers)
            // Wait until the payer's answer is with the gateway (accepted, not delivered).
            for _ in 0..<500 {
                if try await harness.sandbox.store.counts(correlationID: headers.correlationID).accepted == 2 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await harness.sandbox.store.counts(correlationID: headers.correlationID).deliveries == 1)
            #expect(!harness.deliveries.contains { $0.path == HCXOperation.claimOnSubmit.path })

            var calm = rules
            calm.faults = SandboxFaults()
            try await harness.restartSandbox(rules: calm)
            let callback = try await harness.delivery(.claimOnSubmit) { $0.correlationID == headers.correlationID }
            #expect(try callback.message.headers.status == .responseComplete)
            await harness.sandbox.waitUntilIdle()
            let counts = try await harness.sandbox.store.counts(correlationID: headers.correlationID)
            // Adjudicated once, answered once, delivered once.
            #expect(counts.byOperation == ["claim.submit": 1, "claim.on_submit": 1])
            #expect(counts.deliveries == 2)
        }
    }

    @Test func aRuleCanMakeThePayerAskForInformationFirst() async throws {
        var rules = SandboxRules.default
        rules.services.append(.init(code: "E507029", requestInformation: true))
        try await SandboxHarness.with(rules: rules) { harness in
            let headers = harness.requestHeaders(workflowID: UUID().uuidString.lowercased())
            try await harness.send(
                try Data(contentsOf: Samples.shared("claim_request_bundle_v0.7.1_sdk.json")), operation: .claimSubmit,
                headers: headers)
            let asked = try await harness.delivery(.communicationRequest) { $0.workflowID == headers.workflowID }
            let request = try JSONDecoder().decode(CommunicationRequest.self, from: try harness.open(asked))
            #expect(request.payload?.first?.contentString == "Supporting documents for E507029")
            #expect(request.about?.first?.reference == "Claim/bb1eea08-8739-4f14-b541-04622f18450c")
            await harness.sandbox.waitUntilIdle()
            #expect(!harness.deliveries.contains { $0.path == HCXOperation.claimOnSubmit.path })

            // The provider answers the request; then the claim is decided.
            let askedHeaders = try asked.message.headers
            let answer = askedHeaders.response(status: .responseComplete, timestamp: HCXTimestamp.string(from: Date()))
            try await harness.send(
                Data(
                    #"{"resourceType":"Communication","status":"completed","payload":[{"contentString":"ECG report attached"}]}"#
                        .utf8),
                operation: .communicationOnRequest, headers: answer)
            let callback = try await harness.delivery(.claimOnSubmit) { $0.correlationID == headers.correlationID }
            #expect(try callback.message.headers.status == .responseComplete)
        }
    }

    @Test func aCallbackThatFailsIsDeliveredInALaterRound() async throws {
        try await SandboxHarness.with { harness in
            // The provider's endpoint is down at first: every attempt of the first round fails.
            let live = harness.provider.baseURL
            await harness.sandbox.register(
                SandboxParticipant(
                    code: SandboxHarness.providerCode, roles: ["provider"], endpointURL: "http://127.0.0.1:9/v0.7",
                    encryptionCertificatePEM: try SandboxHarness.keys.provider.selfSignedCertificatePEM(
                        participantCode: SandboxHarness.providerCode),
                    username: "test-provider", secret: "test-secret"))
            let headers = harness.requestHeaders()
            try await harness.send(
                try Data(contentsOf: Samples.shared("claim_request_bundle_v0.7.1_sdk.json")), operation: .claimSubmit,
                headers: headers)
            // The provider comes back before the scheduled round (0.2 s in this harness).
            try await Task.sleep(for: .milliseconds(100))
            await harness.sandbox.register(
                SandboxParticipant(
                    code: SandboxHarness.providerCode, roles: ["provider"], endpointURL: live,
                    encryptionCertificatePEM: try SandboxHarness.keys.provider.selfSignedCertificatePEM(
                        participantCode: SandboxHarness.providerCode),
                    username: "test-provider", secret: "test-secret"))
            _ = try await harness.delivery(.claimOnSubmit) { $0.correlationID == headers.correlationID }
        }
    }
}
