import Foundation
import Metrics
import RCMCore

/// The business metrics of the contract (docs DESIGN.md §7), declared here and nowhere else:
/// `rcm_claims_submitted_total` (payer), `rcm_claims_approved_total` (payer),
/// `rcm_claims_denied_total` (payer, category) and `rcm_revenue_collected_total` (currency; value
/// in major units, e.g. rupees — each payment added as its exact decimal amount).
public struct RevenueCycleMetrics: Sendable {
    public static let claimsSubmittedTotal = "rcm_claims_submitted_total"
    public static let claimsApprovedTotal = "rcm_claims_approved_total"
    public static let claimsDeniedTotal = "rcm_claims_denied_total"
    public static let revenueCollectedTotal = "rcm_revenue_collected_total"

    private let factory: any MetricsFactory

    /// Metrics through `factory` (the process's bootstrapped factory by default).
    public init(factory: any MetricsFactory = MetricsSystem.factory) { self.factory = factory }

    /// Exports the business metrics before any claim moves, at 0, for the payers and currencies
    /// known at start (Prometheus: "avoid missing metrics"): submitted, approved, and denied in
    /// every ``RCMCore/DenialCategory``, per payer; revenue per currency.
    public func prime(payers: [String], currencies: [CurrencyCode]) {
        for payer in payers {
            Counter(label: Self.claimsSubmittedTotal, dimensions: [("payer", payer)], factory: factory).increment(by: 0)
            Counter(label: Self.claimsApprovedTotal, dimensions: [("payer", payer)], factory: factory).increment(by: 0)
            for category in DenialCategory.allCases {
                Counter(
                    label: Self.claimsDeniedTotal, dimensions: [("payer", payer), ("category", category.rawValue)],
                    factory: factory
                ).increment(by: 0)
            }
        }
        for currency in currencies {
            FloatingPointCounter(
                label: Self.revenueCollectedTotal, dimensions: [("currency", currency.code)], factory: factory
            ).increment(by: 0)
        }
    }

    /// A claim sent to its payer for the first time.
    func recordSubmitted(payer: String) {
        Counter(label: Self.claimsSubmittedTotal, dimensions: [("payer", payer)], factory: factory).increment()
    }

    /// A payer's decision: approved (in full or in part) or denied (with its category).
    func recordDecision(_ adjudication: ClaimAdjudication, payer: String) {
        switch adjudication.outcome {
        case .approved, .partiallyApproved:
            Counter(label: Self.claimsApprovedTotal, dimensions: [("payer", payer)], factory: factory).increment()
        case .denied:
            let category = DenialCategory.dominant(in: adjudication.lines.flatMap(\.reasons))
            Counter(
                label: Self.claimsDeniedTotal, dimensions: [("payer", payer), ("category", category.rawValue)],
                factory: factory
            ).increment()
        default:
            break
        }
    }

    /// Money posted: added in major units of its currency. A negative posting (an 835 reversal,
    /// CLP02 22) is not subtracted: a Prometheus counter only grows; the reversal's correction is
    /// counted when posted, so a reversed and corrected claim counts both payments.
    func recordCollected(_ amount: Money) {
        guard amount.amount > 0 else { return }
        FloatingPointCounter(
            label: Self.revenueCollectedTotal, dimensions: [("currency", amount.currency.code)], factory: factory
        ).increment(by: NSDecimalNumber(decimal: amount.amount).doubleValue)
    }
}
