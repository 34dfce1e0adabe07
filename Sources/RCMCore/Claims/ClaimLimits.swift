/// Bounds on the size of one claim, checked at intake before anything is stored.
///
/// A claim holds at most ``maximumLines`` service lines: 999, the repeat count of the service-line
/// loop (2400) of X12 5010's institutional claim (837I, 005010X223A2), the largest claim any of
/// RCM's rails can carry. HCX (FHIR `Claim.item`, HCX IG v0.7.1) sets no count; the HCX gateway
/// bounds a message's size instead (10 MB, hcx-platform `spring.codec.max-in-memory-size`). A
/// professional claim for X12 837P (005010X222A1) holds at most 50 lines (its 2400 loop's repeat).
/// One encounter of 110,000 lines held SQLite's writer for six minutes and was left half-processed
/// (issue 19); above the bound, split the encounter into several claims.
public enum ClaimLimits {
    /// The most service lines one claim may hold.
    public static let maximumLines = 999

    /// The finding for a claim of `count` lines, or `nil` when it is within the bound.
    public static func lineCountProblem(_ count: Int, field: String) -> ClaimFinding? {
        guard count > maximumLines else { return nil }
        return ClaimFinding(
            .error, field: field,
            "the claim has \(count) service lines; at most \(maximumLines) (X12 837I's limit) are taken in one claim: "
                + "split the encounter into several claims")
    }
}
