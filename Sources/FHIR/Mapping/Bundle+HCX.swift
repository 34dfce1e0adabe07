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

extension Bundle {
    /// HCX IG v0.7.1 profile URLs of CoverageEligibilityRequestBundle and CoverageEligibilityRequest.
    public static let coverageEligibilityRequestBundleProfile =
        "https://ig.hcxprotocol.io/v0.7.1/StructureDefinition-CoverageEligibilityRequestBundle.html"
    public static let coverageEligibilityRequestProfile =
        "https://ig.hcxprotocol.io/v0.7.1/StructureDefinition-CoverageEligibilityRequest.html"

    /// The eligibility question for a claim: a CoverageEligibilityRequest (purpose `validation`,
    /// priority `normal`) for the claim's patient, provider, insurer and focal coverage on
    /// `servicedDate`, first in a `collection` bundle that carries the claim bundle's other
    /// resources unchanged (same full URLs, so its references still resolve).
    /// - Parameters:
    ///   - servicedDate: FHIR `date`; `created`: FHIR `dateTime`; `timestamp`: FHIR `instant`.
    /// - Throws: ``FHIRError`` when the claim bundle has no readable Claim.
    public static func coverageEligibilityRequestBundle(
        claimBundle: JSONValue, servicedDate: String, id: String, created: String, timestamp: String
    ) throws -> Bundle {
        let claim = try ClaimBundle(json: claimBundle).claim
        let focal = claim.insurance?.first(where: { $0.focal == true }) ?? claim.insurance?.first
        var request: [String: JSONValue] = [
            "resourceType": .string("CoverageEligibilityRequest"), "id": .string(id),
            "meta": .object(["profile": .array([.string(coverageEligibilityRequestProfile)])]),
            "identifier": .array([.object(["system": .string("urn:rcm:eligibility-request"), "value": .string(id)])]),
            "status": .string("active"),
            "priority": .object([
                "coding": .array([
                    .object([
                        "system": .string("http://terminology.hl7.org/CodeSystem/processpriority"),
                        "code": .string("normal"),
                    ])
                ])
            ]),
            "purpose": .array([.string("validation")]), "servicedDate": .string(servicedDate),
            "created": .string(created),
        ]
        if let patient = claim.patient { request["patient"] = try JSONValue(encoding: patient) }
        if let provider = claim.provider { request["provider"] = try JSONValue(encoding: provider) }
        if let insurer = claim.insurer { request["insurer"] = try JSONValue(encoding: insurer) }
        if let coverage = focal?.coverage {
            request["insurance"] = .array([
                .object(["focal": .bool(true), "coverage": try JSONValue(encoding: coverage)])
            ])
        }
        let original = try Bundle(json: claimBundle)
        let others = (original.entry ?? []).filter { $0.resourceType != "Claim" && $0.resourceType != "Composition" }
        return Bundle(
            id: UUID().uuidString.lowercased(),
            meta: Meta(lastUpdated: timestamp, profile: [coverageEligibilityRequestBundleProfile]), type: "collection",
            timestamp: timestamp,
            entry: [Entry(fullUrl: "urn:uuid:\(id)", resource: .object(request))] + others)
    }
}
