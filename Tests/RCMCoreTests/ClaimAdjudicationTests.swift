import Foundation
import Testing

@testable import RCMCore

@Suite struct ClaimAdjudicationTests {
    @Test func outcomeFollowsTheAmounts() throws {
        let billed = try Money(Decimal(string: "146000")!, .inr)
        #expect(try ClaimAdjudication.outcome(billed: billed, approved: billed) == .approved)
        #expect(try ClaimAdjudication.outcome(billed: billed, approved: try Money(100_000, .inr)) == .partiallyApproved)
        #expect(try ClaimAdjudication.outcome(billed: billed, approved: .zero(.inr)) == .denied)
        #expect(throws: MoneyError.currencyMismatch("INR", "USD")) {
            try ClaimAdjudication.outcome(billed: billed, approved: .zero(.usd))
        }
    }

    @Test func outcomesUseTheBillingOfficeNames() {
        #expect(
            ClaimOutcome.allCases.map(\.rawValue) == [
                "pending", "approved", "partially_approved", "denied", "rejected", "paid", "partially_paid", "failed",
            ])
    }
}
