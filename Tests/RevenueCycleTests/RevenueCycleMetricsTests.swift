import Foundation
import MetricsTestKit
import RCMCore
import Testing

@testable import RevenueCycle

/// The business metrics: names and labels of the contract (revenue: see RCMServerTests' MetricsTests).
struct RevenueCycleMetricsTests {
    @Test func decisionsAndPaymentsAreCounted() throws {
        let factory = TestMetrics()
        let metrics = RevenueCycleMetrics(factory: factory)
        metrics.recordSubmitted(payer: "Organization/GICOFINDIA")
        let line = { (approved: Decimal, reasons: [String]) in
            ClaimAdjudication.Line(
                sequence: 1, submitted: try! Money(100, .inr), approved: try! Money(approved, .inr), reasons: reasons)
        }
        metrics.recordDecision(
            ClaimAdjudication(
                outcome: .denied, lines: [line(0, ["preauth-required"])], approvedTotal: .zero(.inr), disposition: nil),
            payer: "Organization/GICOFINDIA")
        metrics.recordDecision(
            ClaimAdjudication(
                outcome: .partiallyApproved, lines: [line(60, [])], approvedTotal: try Money(60, .inr), disposition: nil
            ),
            payer: "Organization/GICOFINDIA")

        #expect(
            try factory.expectCounter("rcm_claims_submitted_total", [("payer", "Organization/GICOFINDIA")]).totalValue
                == 1)
        #expect(
            try factory.expectCounter(
                "rcm_claims_denied_total", [("payer", "Organization/GICOFINDIA"), ("category", "authorization")]
            ).totalValue == 1)
        #expect(
            try factory.expectCounter("rcm_claims_approved_total", [("payer", "Organization/GICOFINDIA")]).totalValue
                == 1)
    }
}
