import Foundation
import RCMCore

/// An HCX ClaimRequestBundle as received: the whole bundle (every element kept) and its focal
/// `Claim`.
///
/// Reads both HCX forms: v0.7.1 `collection` bundles (Claim first) and older `document` bundles
/// headed by a `Composition` (HCX IG v0.7.1; hcx-specs v0.7 FHIR definitions).
public struct ClaimBundle: Sendable, Hashable {
    /// The bundle exactly as received.
    public let bundle: JSONValue
    /// The focal Claim resource exactly as received.
    public let claimResource: JSONValue
    /// The focal Claim, typed.
    public let claim: FHIRClaim

    /// Reads one bundle.
    /// - Throws: ``FHIRError/unexpectedResourceType(expected:found:)`` when the JSON is not a Bundle,
    ///   ``FHIRError/missingResource(_:)`` when it holds no Claim, ``FHIRError/invalidResource(_:reason:)``
    ///   when the Claim is malformed.
    public init(json: JSONValue) throws {
        guard case .object = json else {
            throw FHIRError.unexpectedResourceType(expected: "Bundle", found: "a JSON value that is not an object")
        }
        let resourceType = json["resourceType"]?.stringValue
        guard resourceType == "Bundle" else {
            throw FHIRError.unexpectedResourceType(
                expected: "Bundle", found: resourceType.map { "resourceType '\($0)'" } ?? "no resourceType")
        }
        let bundle: Bundle
        do {
            bundle = try Bundle(json: json)
        } catch {
            throw FHIRError.invalidResource("Bundle", reason: FHIRError.describe(error))
        }
        let claimCount = bundle.entry?.filter { $0.resourceType == "Claim" }.count ?? 0
        guard claimCount <= 1 else {
            throw FHIRError.invalidResource(
                "Bundle", reason: "it holds \(claimCount) Claim resources; an HCX claim bundle carries exactly one")
        }
        guard let entry = bundle.firstEntry(ofType: "Claim"), let resource = entry.resource else {
            let entries = bundle.entry ?? []
            if let index = entries.firstIndex(where: { !FHIRResourceType.isKnown($0.resourceType ?? "") }) {
                throw FHIRError.invalidResource(
                    "Bundle",
                    reason:
                        "entry[\(index)].resource has resourceType '\(entries[index].resourceType ?? "")', which is not "
                        + "a FHIR R4 resource (a pre-authorisation is a Claim with use = preauthorization)")
            }
            let focal = entries.first(where: { $0.resourceType != "Composition" })?.resourceType
            throw FHIRError.missingResource(focal.map { "Claim (its focal resource is '\($0)')" } ?? "Claim")
        }
        self.bundle = json
        self.claimResource = resource
        self.claim = try entry.resource(as: FHIRClaim.self)
    }

    /// Reads a file's bytes: one Bundle, or a JSON array of Bundles.
    ///
    /// - Returns: one result per bundle, in file order, so that a bad bundle in an array does not
    ///   hide the good ones.
    /// - Throws: ``FHIRError/notJSON(_:)`` when the bytes are not JSON at all.
    public static func read(_ data: Data) throws -> [Result<ClaimBundle, FHIRError>] {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: data)
        } catch {
            throw FHIRError.notJSON(FHIRError.describe(error))
        }
        let values: [JSONValue]
        if case .array(let elements) = json { values = elements } else { values = [json] }
        return values.map { value in
            Result {
                try ClaimBundle(json: value)
            }.mapError { $0 as? FHIRError ?? FHIRError.invalidResource("Bundle", reason: "\($0)") }
        }
    }

    /// The business identifier of the resource a reference points at inside this bundle (by
    /// `fullUrl`, e.g. `urn:uuid:…`, or by `Type/id`): its first `identifier.value`; or the
    /// reference's own logical `identifier.value`; `nil` when neither is there.
    ///
    /// Claims name their patient, insurer and provider by references that only mean something
    /// inside the bundle (`urn:uuid:…`); RCM keeps who they are instead (an MRN, an insurer id, a
    /// facility id), so that filters, duplicate checks and metric labels work across claims.
    public func identifierValue(of reference: Reference?) -> String? {
        guard let reference else { return nil }
        if let value = reference.identifier?.value, !value.isEmpty { return value }
        guard case .array(let identifiers)? = resource(referencedBy: reference)?["identifier"] else { return nil }
        return identifiers.lazy.compactMap { $0["value"]?.stringValue }.first { !$0.isEmpty }
    }

    /// The resource a reference points at inside this bundle, as sent: the entry whose `fullUrl`
    /// is the reference (`urn:uuid:…`, or ends with `/Type/id`) or whose resource is `Type/id`;
    /// `nil` when no entry is.
    public func resource(referencedBy reference: Reference?) -> JSONValue? {
        guard let target = reference?.reference, case .array(let entries)? = bundle["entry"] else { return nil }
        for entry in entries {
            guard let resource = entry["resource"] else { continue }
            let typeAndID = [resource["resourceType"]?.stringValue, resource["id"]?.stringValue].compactMap { $0 }
                .joined(separator: "/")
            if entry["fullUrl"]?.stringValue == target || typeAndID == target
                || entry["fullUrl"]?.stringValue?.hasSuffix("/" + target) == true
            {
                return resource
            }
        }
        return nil
    }

    /// The bundle with the focal Claim's items as RCM keeps them: `item.sequence` set to 1…n in
    /// order, so that a payer can answer line by line even when the submitter repeated sequence
    /// numbers, and each `item.modifier` code that is a modifier normalised
    /// (``RCMCore/ServiceModifiers/normalized(_:)``: `gt` → `GT`; others stay for the coding
    /// review to report). Everything else is kept as received.
    public func normalizingClaimItems() -> JSONValue {
        modifyingClaim { claim, _ in
            guard case .array(var items)? = claim["item"] else { return }
            for itemIndex in items.indices {
                if case .object(var item) = items[itemIndex] {
                    item["sequence"] = .number(Decimal(itemIndex + 1))
                    if case .array(var modifiers)? = item["modifier"] {
                        for modifierIndex in modifiers.indices {
                            guard case .object(var concept) = modifiers[modifierIndex],
                                case .array(var codings)? = concept["coding"]
                            else { continue }
                            for codingIndex in codings.indices {
                                guard case .object(var coding) = codings[codingIndex],
                                    let code = coding["code"]?.stringValue,
                                    let normalized = ServiceModifiers.normalized(code)
                                else { continue }
                                coding["code"] = .string(normalized)
                                codings[codingIndex] = .object(coding)
                            }
                            concept["coding"] = .array(codings)
                            modifiers[modifierIndex] = .object(concept)
                        }
                        item["modifier"] = .array(modifiers)
                    }
                    items[itemIndex] = .object(item)
                }
            }
            claim["item"] = .array(items)
        }
    }

    /// The bundle with the focal Claim's `use` set (e.g. `preauthorization` for the pre-authorisation
    /// request of a claim: the same services, asked before they are billed).
    public func withUse(_ use: ClaimUse) -> JSONValue {
        modifyingClaim { claim, _ in claim["use"] = .string(use.rawValue) }
    }

    /// The bundle with the payer's pre-authorisation reference on the focal insurance
    /// (`Claim.insurance.preAuthRef`, the focal one or else the first).
    public func withPreAuthRef(_ reference: String) -> JSONValue {
        modifyingClaim { claim, _ in
            guard case .array(var insurance)? = claim["insurance"], !insurance.isEmpty else { return }
            let index = insurance.firstIndex { $0["focal"] == .bool(true) } ?? 0
            if case .object(var entry) = insurance[index] {
                entry["preAuthRef"] = .array([.string(reference)])
                insurance[index] = .object(entry)
            }
            claim["insurance"] = .array(insurance)
        }
    }

    /// The bundle with its focal Claim changed by `body` (which also gets the entry, for its
    /// `fullUrl`); everything else kept as it is.
    func modifyingClaim(_ body: (inout [String: JSONValue], inout [String: JSONValue]) -> Void) -> JSONValue {
        guard case .object(var bundleMembers) = bundle, case .array(var entries)? = bundleMembers["entry"] else {
            return bundle
        }
        for index in entries.indices {
            guard case .object(var entry) = entries[index], case .object(var claim)? = entry["resource"],
                claim["resourceType"]?.stringValue == "Claim"
            else { continue }
            body(&claim, &entry)
            entry["resource"] = .object(claim)
            entries[index] = .object(entry)
            break
        }
        bundleMembers["entry"] = .array(entries)
        return .object(bundleMembers)
    }
}
