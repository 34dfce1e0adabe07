import Foundation
import Testing

@testable import RCMCore

/// The scrub edits, each with a claim that fails exactly that edit.
struct ClaimScrubberTests {
    func claim(_ identifier: String, date: String = "2026-06-01", amounts: [String] = ["100.00", "50.50"]) throws
        -> Claim
    {
        let lines = try amounts.enumerated().map { index, text in
            let money = try Money(DecimalText.parse(text)!, .inr)
            return ClaimLine(
                sequence: index + 1, submittedSequence: index + 1,
                service: BillingCode(system: nil, code: "SVC-\(index)"), quantity: 1, unitPrice: money, net: money)
        }
        return Claim(
            identifier: ClaimIdentifier(system: "urn:x", value: identifier), resourceID: nil, use: .claim,
            patientReference: "Patient/p1", payer: "Organization/payer", provider: "Organization/clinic",
            dateOfService: try ServiceDate(iso8601: date), diagnoses: [], lines: lines,
            billedTotal: try lines.reduce(.zero(.inr)) { try $0.adding($1.net) }, findings: [])
    }

    let today = try! ServiceDate(iso8601: "2026-11-29")

    @Test func aCleanClaimPasses() throws {
        #expect(ClaimScrubber().review(try claim("C1"), today: today, others: []).isEmpty)
    }

    @Test func aDateOfServiceInTheFutureIsAnError() throws {
        let findings = ClaimScrubber().review(try claim("C1", date: "2026-12-01"), today: today, others: [])
        #expect(findings.map(\.field) == ["Claim.billablePeriod"])
        #expect(findings.first?.severity == .error)
    }

    @Test func aClaimPastThePayersTimelyFilingLimitIsAnError() throws {
        let payer = PayerConfiguration(payer: "Organization/payer", name: "Demo Health", timelyFilingDays: 90)
        // 2026-06-01 → 2026-11-29 is 181 days.
        let late = ClaimScrubber().review(try claim("C1"), today: today, others: [], payer: payer)
        #expect(late.map(\.field) == ["Claim.billablePeriod"])
        #expect(late.first?.severity == .error)
        #expect(late.first?.message.hasPrefix("timely filing: 181 days after the date of service 2026-06-01") == true)
        #expect(late.first.map(DenialCategory.of(finding:)) == .timelyFiling)
        // On the last day it is still in time; a payer without a limit sets none.
        #expect(
            ClaimScrubber().review(try claim("C1", date: "2026-08-31"), today: today, others: [], payer: payer)
                .isEmpty)
        #expect(
            ClaimScrubber().review(
                try claim("C1"), today: today, others: [],
                payer: PayerConfiguration(payer: "Organization/payer", name: nil, timelyFilingDays: nil)
            ).isEmpty)
    }

    @Test func theSameCareUnderAnotherIdentifierIsADuplicate() throws {
        let earlier = ClaimID()
        let findings = ClaimScrubber().review(
            try claim("C2"), today: today, others: [(earlier, try claim("C1"))])
        #expect(findings.map(\.field) == ["Claim"])
        #expect(findings.first?.message.hasPrefix("duplicate of claim \(earlier) (C1)") == true)
        // Other lines, or the same identifier (a resubmission intake already flags), are not duplicates.
        #expect(
            ClaimScrubber().review(
                try claim("C2", amounts: ["99.00"]), today: today, others: [(earlier, try claim("C1"))]
            )
            .isEmpty)
        #expect(ClaimScrubber().review(try claim("C1"), today: today, others: [(earlier, try claim("C1"))]).isEmpty)
    }
}
