/// The revenue-cycle KPIs RCM computes, each with its unit and its one definition (docs/billing.md, its
/// "Analytics" section prints the same text). Every KPI counts the claims whose **date of
/// service** falls in the period (the billing office's cohort view: money and decisions are
/// credited to the visit they belong to, whenever they arrive); A/R is as the claims stand now.
///
/// Terms, each with one definition:
/// - *claims taken in*: claims (`use` = `claim`) of the period that are not corrected
///   resubmissions of another claim;
/// - *submitted*: the claim's `submit` step completed (it went to the payer);
/// - *billed claims*: submitted claims, except one replaced by its corrected resubmission (the
///   service is billed once, by the resubmission);
/// - *adjudicated*: the payer decided it (`approved`, `partially_approved`, `denied`, or paid
///   after its decision: `paid`, `partially_paid`); a claim is adjudicated once — a correction is
///   a new claim;
/// - *contractual reduction* (what the contract or policy sets): on an adjudicated line approved in
///   part, the cut (submitted − approved) when every reason the payer gave for it is contractual
///   (``PayerReduction``); *allowed* = billed − contractual reductions;
/// - *paid*: the sum of the payments posted to the claim, of every kind, as posted (a refund is a
///   negative payment);
/// - *write-off*: the amount written off on a denied or stopped claim from the denial queue;
/// - *open A/R* of a submitted claim: allowed − paid − written off, never below zero (a claim
///   never submitted is not in A/R);
/// - *overturn*: an appealed claim with money posted to it on or after the day of its appeal.
public enum KPI: String, CaseIterable, Sendable, Codable {
    case cleanClaimRate = "clean_claim_rate"
    case firstPassResolutionRate = "first_pass_resolution_rate"
    case initialDenialRate = "initial_denial_rate"
    case initialDenialRateByAmount = "initial_denial_rate_by_amount"
    case grossCollectionRate = "gross_collection_rate"
    case netCollectionRate = "net_collection_rate"
    case daysInAR = "days_in_ar"
    case arOver90DaysShare = "ar_over_90_days_share"
    case daysToSubmission = "days_to_submission"
    case daysToAdjudication = "days_to_adjudication"
    case daysToPayment = "days_to_payment"
    case denialWriteOffShare = "denial_write_off_share"
    case appealOverturnRate = "appeal_overturn_rate"

    /// How a figure's value reads.
    public enum Unit: String, Sendable, Codable {
        /// numerator ÷ denominator × 100, rounded half away from zero to 2 decimal places.
        case percent
        /// numerator ÷ denominator, rounded half away from zero to 1 decimal place.
        case days
    }

    public var unit: Unit {
        switch self {
        case .daysInAR, .daysToSubmission, .daysToAdjudication, .daysToPayment: .days
        default: .percent
        }
    }

    /// Whether the KPI is figured per currency (its numerator or denominator is money): one figure
    /// per currency, never a sum of two currencies.
    public var isMoney: Bool {
        switch self {
        case .initialDenialRateByAmount, .grossCollectionRate, .netCollectionRate, .daysInAR, .arOver90DaysShare,
            .denialWriteOffShare:
            true
        default: false
        }
    }

    /// A short name for tables and tiles.
    public var title: String {
        switch self {
        case .cleanClaimRate: "Clean claim rate"
        case .firstPassResolutionRate: "First-pass resolution rate"
        case .initialDenialRate: "Initial denial rate"
        case .initialDenialRateByAmount: "Initial denial rate (amount)"
        case .grossCollectionRate: "Gross collection rate"
        case .netCollectionRate: "Net collection rate"
        case .daysInAR: "Days in A/R"
        case .arOver90DaysShare: "A/R over 90 days"
        case .daysToSubmission: "Days to submission"
        case .daysToAdjudication: "Days to adjudication"
        case .daysToPayment: "Days to payment"
        case .denialWriteOffShare: "Denial write-offs"
        case .appealOverturnRate: "Appeal overturn rate"
        }
    }

    /// The formula in words, with the source of the definition.
    public var definition: String {
        switch self {
        case .cleanClaimRate:
            "claims taken in that were submitted without being stopped by an edit (coding review, scrub, "
                + "eligibility, pre-authorisation) ÷ claims taken in that went through the edits (submitted or "
                + "stopped; claims still in them are counted once they are through) (HFMA MAP Key CL-1)"
        case .firstPassResolutionRate:
            "claims adjudicated on their first submission and not denied ÷ claims adjudicated, corrected "
                + "resubmissions excluded from both"
        case .initialDenialRate:
            "claims denied on their first adjudication ÷ claims adjudicated, corrected resubmissions excluded "
                + "(HFMA Claim Integrity Task Force, initial denial rate by volume)"
        case .initialDenialRateByAmount:
            "billed amount of claims denied on their first adjudication ÷ billed amount of claims adjudicated "
                + "(HFMA Claim Integrity Task Force, initial denial rate by dollars)"
        case .grossCollectionRate:
            "paid ÷ billed, over billed claims (MGMA gross collection rate)"
        case .netCollectionRate:
            "paid ÷ allowed (billed − contractual reductions), over billed claims (MGMA adjusted "
                + "fee-for-service collection rate)"
        case .daysInAR:
            "open A/R now, of claims up to the period's end ÷ average daily charges (billed amount of "
                + "the period's billed claims ÷ days in the period), figured as open A/R × days ÷ billed "
                + "(MGMA days in A/R)"
        case .arOver90DaysShare:
            "open A/R of claims more than 90 days past their date of service ÷ open A/R, of claims up "
                + "to the period's end (HFMA MAP Key AR-1, aged from date of service)"
        case .daysToSubmission: "mean days from date of service to submission, over submitted claims"
        case .daysToAdjudication: "mean days from date of service to the payer's decision, over adjudicated claims"
        case .daysToPayment:
            "mean days from date of service to the first payment posted, over claims with a payment "
                + "(payment velocity)"
        case .denialWriteOffShare:
            "amount written off on denied or stopped claims ÷ allowed amount of billed claims "
                + "(HFMA MAP Key AR-6, net patient service revenue taken as allowed)"
        case .appealOverturnRate:
            "appealed claims overturned (money posted on or after the appeal) ÷ appealed claims (HFMA "
                + "Claim Integrity Task Force; a partial overturn counts)"
        }
    }
}
