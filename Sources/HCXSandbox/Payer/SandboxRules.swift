import Foundation

/// The sandbox payer's adjudication rule (walking skeleton): lines are approved in sequence order
/// until a per-claim limit is used up.
///
/// A line that would exceed the limit is approved for what remains (reason `over-claim-limit`);
/// later lines get nothing. Nothing approved means the claim is denied. The limit is in major units
/// of the claim's own currency (e.g. rupees for an INR claim); `RCM_SANDBOX_CLAIM_LIMIT` sets it,
/// default 100,000. The rules-file payer of the sandbox issue replaces this.
public struct SandboxRules: Sendable, Hashable {
    /// The most the payer approves on one claim, in major units of the claim's currency.
    public var claimLimit: Decimal

    public init(claimLimit: Decimal = 100_000) { self.claimLimit = claimLimit }

    /// The reason label on a line cut by the limit.
    public static let overLimitReason = "over-claim-limit"
}
