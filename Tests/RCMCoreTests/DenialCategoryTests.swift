import Foundation
import Testing

@testable import RCMCore

/// Denial categories, next actions and the queue's order.
struct DenialCategoryTests {
    @Test func reasonCodesMapToCategories() {
        #expect(DenialCategory.of(reason: "coverage-inactive") == .eligibility)
        #expect(DenialCategory.of(reason: "27") == .eligibility)
        #expect(DenialCategory.of(reason: "preauth-required") == .authorization)
        #expect(DenialCategory.of(reason: "197") == .authorization)
        #expect(DenialCategory.of(reason: "18") == .duplicate)
        #expect(DenialCategory.of(reason: "29") == .timelyFiling)
        #expect(DenialCategory.of(reason: "50") == .medicalNecessity)
        #expect(DenialCategory.of(reason: "16") == .informationRequested)
        #expect(DenialCategory.of(reason: "excluded-service") == .nonCovered)
        #expect(DenialCategory.of(reason: "11") == .coding)
        #expect(DenialCategory.of(reason: "member-share") == nil)
        #expect(DenialCategory.of(reason: "something-new") == .other)
        #expect(DenialCategory.authorization.nextAction == .requestPreauthorization)
        #expect(DenialCategory.informationRequested.nextAction == .answerInformationRequest)
    }

    func claim(_ identifier: String, billed: Decimal, date: String, findings: [ClaimFinding] = []) throws -> Claim {
        let money = try Money(billed, .inr)
        return Claim(
            identifier: ClaimIdentifier(system: nil, value: identifier), resourceID: nil, use: .claim,
            patientReference: "Patient/p", payer: "Organization/x", provider: "Organization/y",
            dateOfService: try ServiceDate(iso8601: date), diagnoses: [],
            lines: [
                ClaimLine(
                    sequence: 1, submittedSequence: 1, service: BillingCode(system: nil, code: "S"), quantity: 1,
                    unitPrice: money, net: money)
            ], billedTotal: money, findings: findings)
    }

    @Test func aClaimStoppedBeforeSubmissionIsNeverToBeAppealed() throws {
        let today = try ServiceDate(iso8601: "2026-11-29")
        let future = ClaimFinding(
            .error, field: "Claim.billablePeriod",
            "the date of service 2026-12-25 is after today (2026-11-29): bill care once it was given")
        let early = DenialCase.classify(
            id: ClaimID(), claim: try claim("F", billed: 100, date: "2026-12-25", findings: [future]),
            outcome: .rejected,
            approved: nil, lineReasons: [], today: today)
        #expect(early.category == .other)
        #expect(early.nextAction == .correctAndResubmit)
        #expect(early.ageDays == 0)
        let late = ClaimFinding(
            .error, field: "Claim.billablePeriod", "timely filing: 200 days after the date of service")
        let stopped = DenialCase.classify(
            id: ClaimID(), claim: try claim("L", billed: 100, date: "2026-05-01", findings: [late]), outcome: .rejected,
            approved: nil, lineReasons: [], today: today)
        #expect(stopped.category == .timelyFiling)
        #expect(stopped.nextAction == .writeOff)
    }

    @Test func casesAreClassifiedAndQueuedByAmountThenAge() throws {
        let today = try ServiceDate(iso8601: "2026-11-29")
        let denied = DenialCase.classify(
            id: ClaimID(), claim: try claim("A", billed: 5000, date: "2026-11-01"), outcome: .denied, approved: nil,
            lineReasons: [["preauth-required"]], today: today)
        #expect(denied.category == .authorization)
        #expect(denied.atStake.description == "INR 5000.00")
        #expect(denied.ageDays == 28)
        let rejected = DenialCase.classify(
            id: ClaimID(),
            claim: try claim(
                "B", billed: 5000, date: "2026-10-01",
                findings: [
                    ClaimFinding(.error, field: "Claim.diagnosis[0].diagnosisCodeableConcept", "E11.6 is a header code")
                ]),
            outcome: .rejected, approved: nil, lineReasons: [[]], today: today)
        #expect(rejected.category == .coding)
        #expect(rejected.nextAction == .correctAndResubmit)
        let small = DenialCase.classify(
            id: ClaimID(), claim: try claim("C", billed: 100, date: "2025-01-01"), outcome: .denied, approved: nil,
            lineReasons: [["29"]], today: today)
        let queue = [small, denied, rejected].sorted(by: DenialCase.queueOrder)
        #expect(queue.map(\.identifier) == ["B", "A", "C"])
    }
}
