import Foundation

extension Bundle {
    /// HCX IG v0.7.1 profile URL of ClaimResponseBundle.
    public static let claimResponseBundleProfile =
        "https://ig.hcxprotocol.io/v0.7.1/StructureDefinition-ClaimResponseBundle.html"

    /// HCX IG v0.7.1 profile URL of CoverageEligibilityResponseBundle.
    public static let coverageEligibilityResponseBundleProfile =
        "https://ig.hcxprotocol.io/v0.7.1/StructureDefinition-CoverageEligibilityResponseBundle.html"

    /// A ClaimResponseBundle (HCX IG v0.7.1) with `response` as its focal resource.
    /// - Parameter timestamp: FHIR `instant` text of the bundle.
    public static func claimResponseBundle(_ response: FHIRClaimResponse, timestamp: String) throws -> Bundle {
        hcxCollection(
            profile: claimResponseBundleProfile, timestamp: timestamp, focal: try JSONValue(encoding: response))
    }

    /// An HCX bundle as the HCX IG v0.7.1 shapes it: `type = collection`, a `timestamp`, the focal
    /// resource first, every entry with a `urn:uuid:` fullUrl, and `meta.profile` set.
    /// - Parameters:
    ///   - profile: the bundle profile URL (e.g. ``claimResponseBundleProfile``).
    ///   - timestamp: FHIR `instant` text.
    ///   - focal: the focal resource (ClaimResponse, CoverageEligibilityRequest, …).
    ///   - others: supporting resources.
    public static func hcxCollection(
        profile: String, timestamp: String, focal: JSONValue, others: [JSONValue] = []
    ) -> Bundle {
        Bundle(
            id: UUID().uuidString.lowercased(), meta: Meta(lastUpdated: timestamp, profile: [profile]),
            type: "collection", timestamp: timestamp,
            entry: ([focal] + others).map { Entry(fullUrl: "urn:uuid:\(UUID().uuidString.lowercased())", resource: $0) }
        )
    }
}
