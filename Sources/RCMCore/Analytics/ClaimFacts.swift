/// What the KPIs need to know about one claim, as stored (the server reads it with SQL; tests
/// write it by hand). Amounts are in the claim's currency.
public struct ClaimFacts: Sendable, Hashable {
    /// One service line as the payer decided it.
    public struct Line: Sendable, Hashable {
        public let submitted: Money
        /// `nil` until adjudicated.
        public let approved: Money?
        /// The payer's reason codes for the line.
        public let reasons: [String]

        public init(submitted: Money, approved: Money?, reasons: [String]) {
            self.submitted = submitted
            self.approved = approved
            self.reasons = reasons
        }
    }

    /// One payment posted to the claim: its amount and the day the money moved (its payment date,
    /// else the day it was posted).
    public struct Payment: Sendable, Hashable {
        public let amount: Money
        public let date: ServiceDate

        public init(amount: Money, date: ServiceDate) {
            self.amount = amount
            self.date = date
        }
    }

    public let id: ClaimID
    public let payer: String
    public let provider: String
    public let dateOfService: ServiceDate
    public let billed: Money
    public let outcome: ClaimOutcome
    /// Whether this claim is a corrected resubmission of another.
    public let isResubmission: Bool
    /// Whether a corrected resubmission replaced it (it left the denial queue for the new claim).
    public let isReplaced: Bool
    /// The day its `submit` step completed (facility time zone), if it did.
    public let submittedOn: ServiceDate?
    /// The day the payer's decision arrived, if it did.
    public let adjudicatedOn: ServiceDate?
    public let lines: [Line]
    public let payments: [Payment]
    /// The error findings that stopped it, if it was stopped before submission.
    public let findings: [ClaimFinding]
    /// The amount written off from the denial queue, if it was.
    public let writtenOff: Money?
    /// The day of its first appeal, if it was appealed.
    public let appealedOn: ServiceDate?

    public init(
        id: ClaimID, payer: String, provider: String, dateOfService: ServiceDate, billed: Money,
        outcome: ClaimOutcome, isResubmission: Bool = false, isReplaced: Bool = false, submittedOn: ServiceDate? = nil,
        adjudicatedOn: ServiceDate? = nil, lines: [Line] = [], payments: [Payment] = [], findings: [ClaimFinding] = [],
        writtenOff: Money? = nil, appealedOn: ServiceDate? = nil
    ) {
        self.id = id
        self.payer = payer
        self.provider = provider
        self.dateOfService = dateOfService
        self.billed = billed
        self.outcome = outcome
        self.isResubmission = isResubmission
        self.isReplaced = isReplaced
        self.submittedOn = submittedOn
        self.adjudicatedOn = adjudicatedOn
        self.lines = lines
        self.payments = payments
        self.findings = findings
        self.writtenOff = writtenOff
        self.appealedOn = appealedOn
    }

    public var currency: CurrencyCode { billed.currency }

    /// Whether it went to the payer.
    public var isSubmitted: Bool { submittedOn != nil }

    /// Whether the payer decided it (see ``KPI``).
    public var isAdjudicated: Bool {
        [.approved, .partiallyApproved, .denied, .paid, .partiallyPaid].contains(outcome)
    }

    /// Whether the payer denied it.
    public var isDenied: Bool { outcome == .denied }

    /// Σ ``PayerReduction/contractual(submitted:approved:reasons:)`` over its lines, once adjudicated.
    public var contractualReduction: Money {
        guard isAdjudicated else { return .zero(currency) }
        return lines.reduce(Money.zero(currency)) { total, line in
            (try? total.adding(
                PayerReduction.contractual(submitted: line.submitted, approved: line.approved, reasons: line.reasons)))
                ?? total
        }
    }

    /// billed − contractual reductions.
    public var allowed: Money { (try? billed.subtracting(contractualReduction)) ?? billed }

    /// Σ payments in the claim's currency (payments in another currency are left out: RCM posts a
    /// payment only to a claim of its currency).
    public var paid: Money {
        payments.reduce(Money.zero(currency)) { total, payment in (try? total.adding(payment.amount)) ?? total }
    }

    /// allowed − paid − written off, at least zero, for a submitted claim not replaced by a
    /// corrected resubmission; zero otherwise.
    public var openBalance: Money {
        guard isSubmitted, !isReplaced else { return .zero(currency) }
        var open = allowed
        open = (try? open.subtracting(paid)) ?? open
        if let writtenOff { open = (try? open.subtracting(writtenOff)) ?? open }
        return open.amount > 0 ? open : .zero(currency)
    }

    /// The day of the first payment of a positive amount.
    public var firstPaidOn: ServiceDate? {
        payments.filter { $0.amount.amount > 0 }.map(\.date).min()
    }

    /// Whether it was appealed and money was posted on or after the appeal's day.
    public var isOverturned: Bool {
        guard let appealedOn else { return false }
        return payments.contains { $0.amount.amount > 0 && $0.date >= appealedOn }
    }

    /// Its denial category and reasons, when denied or stopped (``DenialCategory/of(outcome:findings:lineReasons:)``).
    public var denial: (category: DenialCategory, reasons: [String])? {
        guard outcome == .denied || outcome == .rejected else { return nil }
        return DenialCategory.of(outcome: outcome, findings: findings, lineReasons: lines.map(\.reasons))
    }

    /// What a denial puts at stake: billed − approved.
    public var atStake: Money {
        let approved = lines.compactMap(\.approved).reduce(Money.zero(currency)) { (try? $0.adding($1)) ?? $0 }
        return (try? billed.subtracting(approved)) ?? billed
    }
}
