import Foundation
import RCMCore
import TestSupport
import Testing

@testable import FHIR

@Suite struct ClaimResponseMappingTests {
    @Test func aClaimResponseWeWriteReadsBackToTheSameAdjudication() throws {
        let bundle = try ClaimBundle.read(try SharedSamples.data("claim_request_bundle_v0.7.1_sdk.json"))[0].get()
        let claim = try bundle.claim.toDomain()
        let approved = claim.lines.enumerated().map { index, line in
            index == 0 ? try! Money(Decimal(string: "99999.99")!, .inr) : line.net
        }
        let lines = zip(claim.lines, approved).map { line, amount in
            ClaimAdjudication.Line(
                sequence: line.sequence, submitted: line.net, approved: amount,
                reasons: amount == line.net ? [] : ["over-claim-limit"])
        }
        let total = try approved.reduce(Money.zero(.inr)) { try $0.adding($1) }
        let adjudication = ClaimAdjudication(
            outcome: .partiallyApproved, lines: lines, approvedTotal: total, disposition: "partly")
        let response = FHIRClaimResponse(
            answering: bundle.claim, adjudication: adjudication, id: "resp-1", created: "2026-11-29T10:00:00+05:30")
        #expect(response.total?.first { $0.category.coding?.first?.code == "submitted" }?.amount.value == 146_000)
        #expect(response.request?.reference == "Claim/bb1eea08-8739-4f14-b541-04622f18450c")

        let wire = try JSONEncoder().encode(response)
        let decoded = try JSONDecoder().decode(FHIRClaimResponse.self, from: wire)
        let read = try decoded.toAdjudication(of: claim)
        #expect(read == adjudication)
        #expect(read.approvedTotal.description == "INR 145999.99")
    }

    @Test func anErrorOutcomeApprovesNothingAndUnknownLinesAreRefused() throws {
        let bundle = try ClaimBundle.read(try SharedSamples.data("claim_request_bundle_v0.7.1_sdk.json"))[0].get()
        let claim = try bundle.claim.toDomain()
        let failed = FHIRClaimResponse(
            id: "r", meta: nil, identifier: nil, status: "active", type: nil, use: "claim", patient: nil,
            created: "2026-11-29", insurer: nil, requestor: nil, request: nil, outcome: "error",
            disposition: "cannot process", item: [], total: [])
        let denied = try failed.toAdjudication(of: claim)
        #expect(denied.outcome == .denied)
        #expect(denied.approvedTotal.isZero)

        var unknownLine = failed
        unknownLine.outcome = "complete"
        unknownLine.item = [.init(itemSequence: 99, adjudication: [])]
        #expect(
            throws: FHIRError.invalidElement(path: "ClaimResponse.item[0].itemSequence", reason: "no claim line 99")
        ) {
            try unknownLine.toAdjudication(of: claim)
        }
    }
}
