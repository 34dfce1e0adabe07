import FHIR
import Foundation
import Testing

@testable import HCX

@Suite struct HCXHeadersTests {
    @Test func mandatoryHeadersAreRequiredByName() {
        let header: [String: JSONValue] = [
            "x-hcx-sender_code": .string("p"), "x-hcx-recipient_code": .string("q"), "x-hcx-api_call_id": .string("a"),
            "x-hcx-timestamp": .string("2026-11-29T10:00:00+05:30"),
        ]
        #expect(throws: HCXProtocolError(.mandatoryHeaderMissing, "x-hcx-correlation_id is missing or empty")) {
            try HCXHeaders(protectedHeader: header)
        }
        var withStatus = header
        withStatus["x-hcx-correlation_id"] = .string("c")
        withStatus["x-hcx-status"] = .string("response.maybe")
        #expect(throws: HCXProtocolError(.invalidStatus, "x-hcx-status 'response.maybe' is not an HCX status")) {
            try HCXHeaders(protectedHeader: withStatus)
        }
    }

    @Test func aResponseSwapsPartiesKeepsTheCycleAndTakesANewCallID() throws {
        let request = HCXHeaders(
            senderCode: "provider", recipientCode: "payer", apiCallID: "a-1", correlationID: "c-1", workflowID: "w-1",
            timestamp: "2026-11-29T10:00:00+05:30")
        let response = request.response(status: .responseComplete, timestamp: "2026-11-29T10:00:05+05:30")
        #expect(response.senderCode == "payer")
        #expect(response.recipientCode == "provider")
        #expect(response.correlationID == "c-1")
        #expect(response.workflowID == "w-1")
        #expect(response.apiCallID != "a-1")
        #expect(try HCXHeaders(protectedHeader: response.protectedHeader) == response)
    }

    @Test func timestampsInTheFormsPeersSend() throws {
        let expected = Date(timeIntervalSince1970: 1_692_278_028)
        #expect(HCXTimestamp.date(from: "2023-08-17T18:43:48+05:30") == expected)
        #expect(HCXTimestamp.date(from: "2023-08-17T18:43:48+0530") == expected)
        #expect(HCXTimestamp.date(from: "2023-08-17T13:13:48.000Z") == expected)
        #expect(HCXTimestamp.date(from: "1692278028000") == expected)
        #expect(HCXTimestamp.date(from: "17/08/2023 18:43:48") == nil)
        #expect(HCXTimestamp.string(from: expected) == "2023-08-17T18:43:48+05:30")
    }

    @Test func operationsKnowTheirCallbacks() {
        #expect(HCXOperation.claimSubmit.callback == .claimOnSubmit)
        #expect(HCXOperation.coverageEligibilityCheck.callback == .coverageEligibilityOnCheck)
        #expect(HCXOperation.claimOnSubmit.callback == nil)
        #expect(HCXOperation.claimSubmit.label == "claim.submit")
    }
}
