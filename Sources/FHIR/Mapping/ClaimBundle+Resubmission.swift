import Foundation
import RCMCore

extension ClaimBundle {
    /// HL7 `related-claim-relationship` (FHIR R4 `Claim.related.relationship`).
    public static let relatedClaimRelationshipSystem =
        "http://terminology.hl7.org/CodeSystem/related-claim-relationship"

    /// This bundle as the correction of an earlier claim: its focal Claim gets `related` = the
    /// prior claim's identifier with relationship `prior` (FHIR R4 Claim.related, which HCX IG
    /// v0.7.1 keeps), and, when `identifierValue` is given, that new business identifier and a new
    /// `Claim.id`. Everything else is kept as it is.
    /// - Parameters:
    ///   - prior: the identifier of the claim this one replaces.
    ///   - identifierValue: a new `Claim.identifier[0].value` (same system), e.g. `CLM-1-R1`.
    ///   - resourceID: the new `Claim.id` (and its entry's `urn:uuid` full URL) when the identifier changes.
    public func replacing(prior: ClaimIdentifier, identifierValue: String?, resourceID: String) -> JSONValue {
        let replaced = modifyingClaim { claim, entry in
            var priorIdentifier: [String: JSONValue] = ["value": .string(prior.value)]
            if let system = prior.system { priorIdentifier["system"] = .string(system) }
            claim["related"] = .array([
                .object([
                    "claim": .object(["identifier": .object(priorIdentifier)]),
                    "relationship": .object([
                        "coding": .array([
                            .object([
                                "system": .string(Self.relatedClaimRelationshipSystem), "code": .string("prior"),
                            ])
                        ])
                    ]),
                ])
            ])
            if let identifierValue {
                var identifier: [String: JSONValue] = ["value": .string(identifierValue)]
                if let system = prior.system { identifier["system"] = .string(system) }
                claim["identifier"] = .array([.object(identifier)])
                claim["id"] = .string(resourceID)
                entry["fullUrl"] = .string("urn:uuid:\(resourceID)")
            }
        }
        guard case .object(var members) = replaced else { return replaced }
        members["id"] = .string(UUID().uuidString.lowercased())
        return .object(members)
    }
}
