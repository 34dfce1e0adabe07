/// What a claim asks the payer for (FHIR R4 `Claim.use`, value set `claim-use`).
public enum ClaimUse: String, Sendable, Codable, CaseIterable {
    /// Payment for services rendered.
    case claim
    /// Pre-authorisation of services before they are rendered (HCX `/preauth/submit`).
    case preauthorization
    /// An estimate of what would be paid (HCX `/predetermination/submit`).
    case predetermination
}
