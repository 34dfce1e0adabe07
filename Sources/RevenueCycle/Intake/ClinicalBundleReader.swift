import FHIR
import Foundation
import RCMCore

/// Reads FHIR R4 clinical bundles — Patient, Encounter, Condition, Procedure, Coverage and
/// Organizations, US Core style, as EHRs and synthetic-patient generators emit them — into
/// encounters of RCM's format, priced through a ``RCMCore/Chargemaster``: one claim per Encounter.
///
/// Rules: diagnoses are the ICD-10-CM codings of the Conditions recorded in the encounter
/// (`Condition.encounter`), in bundle order, the first principal; services are the Encounter's
/// `type` codes and its Procedures' codes that the chargemaster prices (first priced coding of
/// each, one unit); ICD-10-PCS procedure codings also go to `Claim.procedure`; the payer and
/// member come from the patient's Coverage (`payor` → the Organization's identifier,
/// `subscriberId`); the provider from `Encounter.serviceProvider`; the date of service is the
/// date part of `Encounter.period.start` as written. What cannot be billed (a Condition without
/// an ICD-10-CM code, a service the chargemaster does not price) is reported on the claim as a
/// warning; an encounter with no billable diagnosis or service is refused with the reasons.
public struct ClinicalBundleReader: Sendable {
    let chargemaster: Chargemaster?

    public init(chargemaster: Chargemaster?) { self.chargemaster = chargemaster }

    /// Whether a JSON value is a clinical bundle: a Bundle with an Encounter and either no Claim,
    /// or clinical resources (Condition, Procedure) beside Claims that are not one HCX claim —
    /// several Claims, or ExplanationOfBenefits: the EHR's own billing records, as Synthea writes
    /// them, which ``read(_:)`` ignores with a note.
    public static func isClinicalBundle(_ json: JSONValue) -> Bool {
        guard json["resourceType"]?.stringValue == "Bundle", case .array(let entries)? = json["entry"] else {
            return false
        }
        let types = entries.compactMap { $0["resource"]?["resourceType"]?.stringValue }
        guard types.contains("Encounter") else { return false }
        let claims = types.filter { $0 == "Claim" }.count
        guard claims > 0 else { return true }
        let clinical = types.contains("Condition") || types.contains("Procedure")
        return clinical && (claims > 1 || types.contains("ExplanationOfBenefit"))
    }

    /// The resource types of an EHR's own billing records, which a clinical bundle may carry and
    /// RCM does not read (it builds the claim from the clinical resources).
    static let ignoredTypes: Set<String> = ["Claim", "ExplanationOfBenefit"]

    /// One result per Encounter of the bundle, in bundle order, with where it came from
    /// (`Encounter/<id>`) and the warnings about what could not be billed.
    public func read(_ bundle: JSONValue) -> [(
        source: String, result: Result<(RCMCore.Encounter, [ClaimFinding]), ClaimIntakeError>
    )] {
        guard case .array(let entries)? = bundle["entry"] else { return [] }
        let resources = entries.enumerated().compactMap { index, entry -> (fullUrl: String, resource: JSONValue)? in
            entry["resource"].map { (entry["fullUrl"]?.stringValue ?? "entry[\(index)]", $0) }
        }
        /// `Type/id`; a resource without an `id` (transaction bundles name resources only by their
        /// `urn:uuid` fullUrl) is named by its fullUrl, so two such resources never share a name.
        func key(_ item: (fullUrl: String, resource: JSONValue)) -> String {
            guard let id = item.resource["id"]?.stringValue, !id.isEmpty else { return item.fullUrl }
            return "\(item.resource["resourceType"]?.stringValue ?? "")/\(id)"
        }
        func points(_ reference: JSONValue?, at item: (fullUrl: String, resource: JSONValue)) -> Bool {
            guard let target = reference?["reference"]?.stringValue else { return false }
            return target == item.fullUrl || target == key(item)
                || item.fullUrl.hasSuffix("/" + target)
        }
        func resolve(_ reference: JSONValue?) -> JSONValue? {
            resources.first { points(reference, at: $0) }?.resource
        }
        func firstIdentifier(_ resource: JSONValue?) -> String? {
            guard case .array(let identifiers)? = resource?["identifier"] else { return nil }
            return identifiers.lazy.compactMap { $0["value"]?.stringValue }.first { !$0.isEmpty }
        }
        func codings(_ concept: JSONValue?) -> [JSONValue] {
            guard case .array(let list)? = concept?["coding"] else { return [] }
            return list
        }
        let ofType = { (type: String) in resources.filter { $0.resource["resourceType"]?.stringValue == type } }
        let patient = ofType("Patient").first?.resource
        let coverage = ofType("Coverage").first?.resource

        let ignored = resources.filter { Self.ignoredTypes.contains($0.resource["resourceType"]?.stringValue ?? "") }
        return ofType("Encounter").map { item in
            let encounter = item.resource
            let source = key(item)
            var errors: [ClaimFinding] = []
            var warnings: [ClaimFinding] = []
            if !ignored.isEmpty {
                warnings.append(
                    ClaimFinding(
                        .warning, field: "Bundle.entry",
                        "the bundle's own \(ignored.count) Claim and ExplanationOfBenefit resources are ignored: "
                            + "the claim is built from the encounter's clinical resources"))
            }
            func fail(_ field: String, _ message: String) { errors.append(ClaimFinding(.error, field: field, message)) }
            func warn(_ field: String, _ message: String) {
                warnings.append(ClaimFinding(.warning, field: field, message))
            }

            guard let chargemaster else {
                return (
                    source,
                    .failure(
                        ClaimIntakeError(findings: [
                            ClaimFinding(
                                .error, field: source,
                                "a clinical bundle is priced through a chargemaster: pass --chargemaster FILE")
                        ]))
                )
            }
            let payer = firstIdentifier(
                resolve(
                    coverage?["payor"].flatMap { list -> JSONValue? in
                        if case .array(let refs) = list { return refs.first }
                        return nil
                    }))
            let member = coverage?["subscriberId"]?.stringValue
            if coverage == nil {
                fail("Coverage", "the bundle has no Coverage: the payer and member id are needed to bill")
            }
            if coverage != nil, payer == nil { fail("Coverage.payor", "no payer Organization with an identifier") }
            if coverage != nil, member == nil { fail("Coverage.subscriberId", "no member id") }
            let provider = firstIdentifier(resolve(encounter["serviceProvider"]))
            if provider == nil { fail("\(source).serviceProvider", "no provider Organization with an identifier") }
            let patientID = firstIdentifier(patient) ?? patient?["id"]?.stringValue
            if patientID == nil { fail("Patient", "the bundle has no Patient with an identifier") }
            let start = encounter["period"]?["start"]?.stringValue.flatMap {
                try? ServiceDate(iso8601: String($0.prefix(10)))
            }
            if start == nil { fail("\(source).period.start", "no date of service") }
            let end = encounter["period"]?["end"]?.stringValue.flatMap {
                try? ServiceDate(iso8601: String($0.prefix(10)))
            }

            var diagnoses: [RCMCore.Encounter.Diagnosis] = []
            for conditionItem in ofType("Condition") where points(conditionItem.resource["encounter"], at: item) {
                let condition = conditionItem.resource
                let all = codings(condition["code"])
                if let icd = all.first(where: { CodeSystem(uri: $0["system"]?.stringValue ?? "") == .icd10cm }),
                    let code = icd["code"]?.stringValue
                {
                    diagnoses.append(
                        .init(
                            code: BillingCode(
                                system: CodeSystem.icd10cm.uri, code: code, display: icd["display"]?.stringValue),
                            type: diagnoses.isEmpty ? "principal" : "secondary"))
                } else {
                    warn(key(conditionItem), "\(Self.describe(all)) has no ICD-10-CM code: not on the claim")
                }
            }
            if diagnoses.isEmpty {
                fail(source, "no Condition of this encounter has an ICD-10-CM code: nothing to bill for")
            }

            var services: [RCMCore.Encounter.Service] = []
            var procedures: [RCMCore.Encounter.Procedure] = []
            func price(_ all: [JSONValue], what: String, date: ServiceDate?) {
                let priced = all.lazy.compactMap { coding -> Chargemaster.Entry? in
                    guard let code = coding["code"]?.stringValue else { return nil }
                    return chargemaster.entry(system: coding["system"]?.stringValue, code: code)
                }.first
                guard let priced else {
                    warn(what, "\(Self.describe(all)) is not in the chargemaster: not billed")
                    return
                }
                services.append(
                    .init(
                        code: priced.code, modifiers: [], units: 1, unitPrice: priced.unitPrice, date: date,
                        diagnosisPointers: [1]))
            }
            if case .array(let types)? = encounter["type"] {
                for (index, type) in types.enumerated() {
                    price(codings(type), what: "\(source).type[\(index)]", date: nil)
                }
            }
            for procedureItem in ofType("Procedure") where points(procedureItem.resource["encounter"], at: item) {
                let procedure = procedureItem.resource
                let all = codings(procedure["code"])
                let performed =
                    (procedure["performedDateTime"]?.stringValue ?? procedure["performedPeriod"]?["start"]?.stringValue)
                    .flatMap { try? ServiceDate(iso8601: String($0.prefix(10))) }
                if let pcs = all.first(where: { CodeSystem(uri: $0["system"]?.stringValue ?? "") == .icd10pcs }),
                    let code = pcs["code"]?.stringValue
                {
                    procedures.append(
                        .init(code: BillingCode(system: CodeSystem.icd10pcs.uri, code: code), date: performed))
                }
                price(all, what: key(procedureItem), date: performed)
            }
            if services.isEmpty {
                fail(source, "nothing billable: no service of this encounter is in the chargemaster")
            }
            guard errors.isEmpty, let payer, let member, let provider, let patientID, let start else {
                return (source, .failure(ClaimIntakeError(findings: errors + warnings)))
            }
            let id =
                firstIdentifier(encounter) ?? encounter["id"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? source
            let value = RCMCore.Encounter(
                id: id,
                claimIdentifier: ClaimIdentifier(system: RCMCore.Encounter.defaultClaimIdentifierSystem, value: id),
                claimType: "professional",
                patient: .init(
                    id: patientID, name: Self.name(patient), gender: patient?["gender"]?.stringValue,
                    birthDate: patient?["birthDate"]?.stringValue.flatMap { try? ServiceDate(iso8601: $0) },
                    address: Self.address(patient)),
                coverage: .init(
                    payer: payer, payerName: nil, memberID: member, policyNumber: firstIdentifier(coverage),
                    relationship: "self"),
                provider: .init(id: provider, name: nil),
                facilityTimeZone: TimeZone(identifier: "Asia/Kolkata") ?? .gmt,
                serviceStart: start, serviceEnd: max(end ?? start, start), diagnoses: diagnoses, procedures: procedures,
                services: services)
            return (source, .success((value, warnings)))
        }
    }

    /// `SNOMED CT 195662009, ICD-10-CM J06.9` for messages.
    static func describe(_ codings: [JSONValue]) -> String {
        let parts = codings.compactMap { coding -> String? in
            guard let code = coding["code"]?.stringValue else { return nil }
            let system = coding["system"]?.stringValue ?? ""
            let name =
                CodeSystem(uri: system)?.rawValue.uppercased()
                ?? (system == "http://snomed.info/sct" ? "SNOMED CT" : system.isEmpty ? "code" : system)
            return "\(name) \(code)"
        }
        return parts.isEmpty ? "an uncoded entry" : parts.joined(separator: ", ")
    }

    /// The patient's first name as text (FHIR `HumanName.text`, else its given names and family).
    private static func name(_ patient: JSONValue?) -> String? {
        guard case .array(let names)? = patient?["name"], let first = names.first else { return nil }
        if let text = first["text"]?.stringValue, !text.isEmpty { return text }
        let given: [String] =
            if case .array(let values)? = first["given"] { values.compactMap(\.stringValue) } else { [] }
        let parts = given + [first["family"]?.stringValue].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }

    /// The patient's first address (FHIR `Patient.address`), kept for payers that need it (X12).
    private static func address(_ patient: JSONValue?) -> PostalAddress? {
        guard case .array(let addresses)? = patient?["address"], let first = addresses.first else { return nil }
        let lines: [String] =
            if case .array(let values)? = first["line"] { values.compactMap(\.stringValue) } else { [] }
        return PostalAddress(
            lines: lines, city: first["city"]?.stringValue, state: first["state"]?.stringValue,
            postalCode: first["postalCode"]?.stringValue, country: first["country"]?.stringValue)
    }
}
