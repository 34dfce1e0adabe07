import Testing

@testable import RCMCore

@Suite struct ClaimOutcomeTests {
    @Test func postedMoneyGivesWayOnlyToAnotherPaymentOrToTheDenialItOvertook() {
        for stored in [ClaimOutcome.paid, .partiallyPaid] {
            #expect(stored.admits(.paid) && stored.admits(.partiallyPaid) && stored.admits(.denied))
            for next in ClaimOutcome.allCases where ![.paid, .partiallyPaid, .denied].contains(next) {
                #expect(!stored.admits(next), "\(stored) must not give way to \(next)")
            }
        }
    }

    @Test func aDecisionIsNotUndoneByAResubmission() {
        for stored in [ClaimOutcome.approved, .partiallyApproved, .denied, .rejected] {
            #expect(!stored.admits(.pending))
            #expect(stored.admits(.paid) && stored.admits(.failed) && stored.admits(.denied))
        }
    }

    @Test func pendingAndFailedGiveWayToAnything() {
        for stored in [ClaimOutcome.pending, .failed] {
            #expect(ClaimOutcome.allCases.allSatisfy(stored.admits))
        }
    }
}
