/// The sandbox payer's short reason labels (its own vocabulary for reason categories, not a
/// licensed code list such as X12 CARC), sent as `ClaimResponse.item.adjudication.reason` codes.
public enum SandboxReason {
    /// No member with the claim's `Coverage.subscriberId`.
    public static let memberUnknown = "member-unknown"
    /// The member's policy is not active.
    public static let coverageInactive = "coverage-inactive"
    /// The date of service is outside the policy period.
    public static let notCoveredOnDate = "not-covered-on-date"
    /// The service is excluded by the policy.
    public static let excludedService = "excluded-service"
    /// The line is above the policy's per-line limit for the code.
    public static let overLineLimit = "over-line-limit"
    /// A pre-authorisation reference is required and missing.
    public static let preauthRequired = "preauth-required"
    /// The member's sum insured is used up.
    public static let sumInsuredExhausted = "sum-insured-exhausted"
    /// The per-claim limit is reached.
    public static let overClaimLimit = "over-claim-limit"
    /// Part of the line is the member's co-pay or deductible.
    public static let memberShare = "member-share"
}
