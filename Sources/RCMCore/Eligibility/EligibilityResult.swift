/// A payer's answer to "is this patient covered on the date of service, and for what?" (read
/// from an HCX CoverageEligibilityResponse).
public struct EligibilityResult: Hashable, Sendable, Codable {
    /// One benefit amount for a category of service.
    public struct Benefit: Hashable, Sendable, Codable {
        /// The service category code (e.g. `30` health benefit plan coverage).
        public let category: String?
        /// The benefit type code (`benefit`, `copay-maximum`, `deductible`, …).
        public let type: String
        /// The allowed amount, when monetary.
        public let allowed: Money?
        /// The amount already used, when given.
        public let used: Money?

        public init(category: String?, type: String, allowed: Money?, used: Money?) {
            self.category = category
            self.type = type
            self.allowed = allowed
            self.used = used
        }
    }

    /// Whether every coverage asked about is in force (`insurance.inforce`; absent counts as not
    /// in force, since the payer did not confirm it).
    public let inForce: Bool
    /// The payer's processing outcome: `complete`, `partial`, `error` or `queued`.
    public let outcome: String
    /// The payer's text, if any.
    public let disposition: String?
    /// Benefit amounts across the coverages.
    public let benefits: [Benefit]
    /// Error codes the payer reported.
    public let errors: [String]

    public init(inForce: Bool, outcome: String, disposition: String?, benefits: [Benefit], errors: [String]) {
        self.inForce = inForce
        self.outcome = outcome
        self.disposition = disposition
        self.benefits = benefits
        self.errors = errors
    }
}
