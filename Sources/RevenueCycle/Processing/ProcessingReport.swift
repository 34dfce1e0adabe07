import RCMCore

/// What a batch run did: one entry per claim, the inputs that were duplicates or could not be
/// read, and totals per currency.
public struct ProcessingReport: Sendable, Codable, Hashable {
    /// One claim the batch touched.
    public struct ClaimResult: Sendable, Codable, Hashable {
        /// Where it came from: `file` or `file[index]` for a bundle in an array.
        public let source: String
        public let claimID: ClaimID
        public let identifier: String
        public let outcome: ClaimOutcome
        public let billed: Money
        public let approved: Money?
        /// Payments posted to it, when any.
        public let paid: Money?
        /// Whether the claim already existed before this run.
        public let preExisting: Bool
        /// Warnings and errors recorded on the claim.
        public let findings: [ClaimFinding]
    }

    /// An input entry that became no claim.
    public struct Skipped: Sendable, Codable, Hashable {
        public let source: String
        public let reason: String
    }

    /// Billed, approved and paid totals in one currency.
    public struct CurrencyTotal: Sendable, Codable, Hashable {
        public let currency: CurrencyCode
        public let billed: Money
        public let approved: Money
        public let paid: Money
    }

    public let claims: [ClaimResult]
    /// Inputs that carried a claim already taken in (in this run or before).
    public let duplicates: [Skipped]
    /// Inputs that could not be read, with the reason.
    public let errors: [Skipped]
    /// This run's denied and stopped claims, categorised with their next action, the most money
    /// at stake first (as the denial work queue orders them).
    public var denials: [DenialCase] = []

    /// Number of denied and stopped claims per denial category.
    public var denialsByCategory: [DenialCategory: Int] {
        denials.reduce(into: [:]) { $0[$1.category, default: 0] += 1 }
    }

    /// Number of claims per outcome.
    public var outcomes: [ClaimOutcome: Int] {
        claims.reduce(into: [:]) { $0[$1.outcome, default: 0] += 1 }
    }

    /// Billed, approved and paid totals per currency, sorted by currency code.
    public var totals: [CurrencyTotal] {
        let byCurrency = Dictionary(grouping: claims, by: \.billed.currency)
        return byCurrency.keys.sorted().map { currency in
            let group = byCurrency[currency]!
            let billed = group.reduce(Money.zero(currency)) { (try? $0.adding($1.billed)) ?? $0 }
            let approved = group.reduce(Money.zero(currency)) { (try? $0.adding($1.approved ?? .zero(currency))) ?? $0 }
            let paid = group.reduce(Money.zero(currency)) { (try? $0.adding($1.paid ?? .zero(currency))) ?? $0 }
            return CurrencyTotal(currency: currency, billed: billed, approved: approved, paid: paid)
        }
    }
}
