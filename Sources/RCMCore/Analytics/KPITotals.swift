/// The additive counts and sums every ``KPI``, the trend and the payer mix are computed from: for
/// one claim (``init(_:)``), or summed over the claims of one date of service, payer and currency
/// (``KPIDayTotals``, what the server's summary table keeps). Adding two totals and taking the
/// KPIs gives the same figures as taking them over the two sets of claims together, which is what
/// lets the server keep them as running sums. Money is in the currency's minor units (paise,
/// cents); days are whole days on the facility's calendar.
public struct KPITotals: Sendable, Hashable {
    /// Original claims (not a corrected resubmission) that went through the edits: submitted, or
    /// stopped by one (``KPI/cleanClaimRate``'s denominator).
    public var claimsThroughEdits: Int64 = 0
    /// Of those, the ones submitted without correction (its numerator).
    public var cleanClaims: Int64 = 0
    /// Original claims the payer decided (``KPI/initialDenialRate``'s denominator).
    public var adjudicatedClaims: Int64 = 0
    /// Of those, the denied ones.
    public var deniedClaims: Int64 = 0
    /// The billed amount of the adjudicated original claims.
    public var adjudicatedBilledMinor: Int64 = 0
    /// The billed amount of the denied original claims.
    public var deniedBilledMinor: Int64 = 0
    /// Billed claims: submitted and not replaced by a corrected resubmission.
    public var billedClaims: Int64 = 0
    /// Their billed amount.
    public var billedMinor: Int64 = 0
    /// Their payments (``ClaimFacts/paid``).
    public var paidMinor: Int64 = 0
    /// Their allowed amount (``ClaimFacts/allowed``).
    public var allowedMinor: Int64 = 0
    /// Written off from the denial queue (``ClaimFacts/writtenOff``), any claim.
    public var writtenOffMinor: Int64 = 0
    /// Claims with an open balance.
    public var openClaims: Int64 = 0
    /// Their open balance (``ClaimFacts/openBalance``).
    public var openMinor: Int64 = 0
    /// Σ days from date of service to submission, over ``submittedClaims`` claims.
    public var daysToSubmission: Int64 = 0
    public var submittedClaims: Int64 = 0
    /// Σ days from date of service to the payer's decision, over ``decidedClaims`` claims.
    public var daysToAdjudication: Int64 = 0
    public var decidedClaims: Int64 = 0
    /// Σ days from date of service to the first payment, over ``paidClaims`` claims.
    public var daysToPayment: Int64 = 0
    public var paidClaims: Int64 = 0
    /// Claims appealed, and of those the ones overturned (``ClaimFacts/isOverturned``).
    public var appealedClaims: Int64 = 0
    public var overturnedClaims: Int64 = 0

    /// Every count and sum, by name: the order the server's summary table stores them in.
    public static let fields: [(name: String, value: WritableKeyPath<KPITotals, Int64> & Sendable)] = [
        ("claims_through_edits", \.claimsThroughEdits), ("clean_claims", \.cleanClaims),
        ("adjudicated_claims", \.adjudicatedClaims), ("denied_claims", \.deniedClaims),
        ("adjudicated_billed_minor", \.adjudicatedBilledMinor), ("denied_billed_minor", \.deniedBilledMinor),
        ("billed_claims", \.billedClaims), ("billed_minor", \.billedMinor), ("paid_minor", \.paidMinor),
        ("allowed_minor", \.allowedMinor), ("written_off_minor", \.writtenOffMinor), ("open_claims", \.openClaims),
        ("open_minor", \.openMinor), ("days_to_submission", \.daysToSubmission),
        ("submitted_claims", \.submittedClaims), ("days_to_adjudication", \.daysToAdjudication),
        ("decided_claims", \.decidedClaims), ("days_to_payment", \.daysToPayment), ("paid_claims", \.paidClaims),
        ("appealed_claims", \.appealedClaims), ("overturned_claims", \.overturnedClaims),
    ]

    public init() {}

    /// One claim's part in every KPI (the definitions: ``KPI``).
    public init(_ claim: ClaimFacts) {
        func minor(_ money: Money) -> Int64 { (try? money.minorUnits()) ?? 0 }
        func span(_ end: ServiceDate?) -> Int64? {
            end.map { Int64(ServiceDate.days(from: claim.dateOfService, to: $0)) }
        }
        if !claim.isResubmission {
            if claim.isSubmitted || claim.outcome == .rejected {
                claimsThroughEdits = 1
                cleanClaims = claim.isSubmitted ? 1 : 0
            }
            if claim.isAdjudicated {
                adjudicatedClaims = 1
                adjudicatedBilledMinor = minor(claim.billed)
                if claim.isDenied {
                    deniedClaims = 1
                    deniedBilledMinor = adjudicatedBilledMinor
                }
            }
        }
        if claim.isSubmitted && !claim.isReplaced {
            billedClaims = 1
            billedMinor = minor(claim.billed)
            paidMinor = minor(claim.paid)
            allowedMinor = minor(claim.allowed)
        }
        writtenOffMinor = claim.writtenOff.map(minor) ?? 0
        openMinor = minor(claim.openBalance)
        openClaims = openMinor > 0 ? 1 : 0
        if let days = span(claim.submittedOn) { (daysToSubmission, submittedClaims) = (days, 1) }
        if claim.isAdjudicated, let days = span(claim.adjudicatedOn) { (daysToAdjudication, decidedClaims) = (days, 1) }
        if let days = span(claim.firstPaidOn) { (daysToPayment, paidClaims) = (days, 1) }
        if claim.appealedOn != nil {
            appealedClaims = 1
            overturnedClaims = claim.isOverturned ? 1 : 0
        }
    }

    /// Whether every count and sum is zero.
    public var isZero: Bool { Self.fields.allSatisfy { self[keyPath: $0.value] == 0 } }

    public static func + (left: KPITotals, right: KPITotals) -> KPITotals {
        var sum = left
        sum += right
        return sum
    }

    public static func += (left: inout KPITotals, right: KPITotals) {
        for field in fields { left[keyPath: field.value] += right[keyPath: field.value] }
    }

    public static func - (left: KPITotals, right: KPITotals) -> KPITotals {
        var difference = left
        for field in fields { difference[keyPath: field.value] -= right[keyPath: field.value] }
        return difference
    }
}

/// The ``KPITotals`` of the claims of one currency, split by date of service and payer or not.
public struct KPIDayTotals: Sendable, Hashable {
    /// Their date of service; `nil` when the rows are not split by day.
    public let day: ServiceDate?
    /// Their payer; `nil` when the rows are not split by payer.
    public let payer: String?
    public let currency: CurrencyCode
    public var totals: KPITotals

    public init(day: ServiceDate?, payer: String?, currency: CurrencyCode, totals: KPITotals) {
        self.day = day
        self.payer = payer
        self.currency = currency
        self.totals = totals
    }

    /// The claims' totals per date of service, payer and currency, in no particular order.
    public static func rows(_ claims: [ClaimFacts]) -> [KPIDayTotals] {
        var rows: [String: KPIDayTotals] = [:]
        for claim in claims {
            let key = "\(claim.dateOfService) \(claim.currency.code) \(claim.payer)"
            rows[
                key,
                default: KPIDayTotals(
                    day: claim.dateOfService, payer: claim.payer, currency: claim.currency, totals: .init())
            ]
            .totals += KPITotals(claim)
        }
        return Array(rows.values)
    }

}

extension Array where Element == KPIDayTotals {
    /// The sum of the rows per currency.
    func totals() -> [CurrencyCode: KPITotals] {
        var sums: [CurrencyCode: KPITotals] = [:]
        for row in self { sums[row.currency, default: .init()] += row.totals }
        return sums
    }
}
