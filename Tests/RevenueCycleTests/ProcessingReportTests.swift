import Foundation
import RCMCore
import Testing

@testable import RevenueCycle

@Suite struct ProcessingReportTests {
    func result(_ outcome: ClaimOutcome, billed: String, approved: String?, currency: CurrencyCode = .inr) throws
        -> ProcessingReport.ClaimResult
    {
        ProcessingReport.ClaimResult(
            source: "f", claimID: ClaimID(), identifier: "X", outcome: outcome,
            billed: try Money(Decimal(string: billed)!, currency),
            approved: try approved.map { try Money(Decimal(string: $0)!, currency) }, paid: nil, preExisting: false,
            findings: [])
    }

    @Test func totalsArePerCurrencyAndExact() throws {
        let report = ProcessingReport(
            claims: [
                try result(.approved, billed: "0.10", approved: "0.10"),
                try result(.partiallyApproved, billed: "0.20", approved: "0.05"),
                try result(.pending, billed: "100", approved: nil),
                try result(.denied, billed: "7.5", approved: "0", currency: .usd),
            ], duplicates: [], errors: [])
        #expect(report.totals.map(\.currency.code) == ["INR", "USD"])
        #expect(report.totals.map(\.billed.description) == ["INR 100.30", "USD 7.50"])
        #expect(report.totals.map(\.approved.description) == ["INR 0.15", "USD 0.00"])
        #expect(report.outcomes == [.approved: 1, .partiallyApproved: 1, .pending: 1, .denied: 1])
    }
}
