import Foundation
import RCMCore

extension Bundle {
    /// HCX IG v0.7.1 profile URLs of ClaimRequestBundle, Claim and Coverage.
    public static let claimRequestBundleProfile =
        "https://ig.hcxprotocol.io/v0.7.1/StructureDefinition-ClaimRequestBundle.html"
    public static let claimProfile = "https://ig.hcxprotocol.io/v0.7.1/StructureDefinition-Claim.html"
    public static let coverageProfile = "https://ig.hcxprotocol.io/v0.7.1/StructureDefinition-Coverage.html"

    /// The HCX ClaimRequestBundle (HCX IG v0.7.1: `collection`, Claim first, `urn:uuid` full
    /// URLs, `meta.profile`) for an encounter of RCM's input format: a Claim (`use = claim`, status
    /// `active`, priority `normal`, payee the provider, billable period = the service period,
    /// `created` = the last day of service, diagnoses with their types, procedures, one item per
    /// service with modifiers, diagnosis pointers, quantity, unit price and net, and the total),
    /// with its Patient (MRN), Coverage (member id, policy, relationship), the provider's and the
    /// insurer's Organization.
    ///
    /// The Claim depends only on the encounter (resource ids come from `resourceID`), so the same
    /// encounter builds the same Claim and intake stays idempotent; only the bundle's `id` and
    /// `timestamp` differ between builds.
    /// - Parameters:
    ///   - resourceID: a stable UUID (lower-case text) for a resource name of this encounter
    ///     (`claim`, `patient`, `coverage`, `provider`, `insurer`, `bundle`).
    ///   - timestamp: FHIR `instant` of the bundle.
    /// - Throws: ``RCMCore/MoneyError`` if the services' currencies differ.
    public static func claimRequestBundle(
        for encounter: RCMCore.Encounter, resourceID: (String) -> String, timestamp: String
    ) throws -> JSONValue {
        let ids = ["claim", "patient", "coverage", "provider", "insurer"].reduce(into: [String: String]()) {
            $0[$1] = resourceID($1)
        }
        func reference(_ name: String) -> Reference { Reference(reference: "urn:uuid:\(ids[name] ?? "")") }
        func concept(_ code: BillingCode) -> CodeableConcept {
            CodeableConcept(coding: [Coding(system: code.system, code: code.code, display: code.display)])
        }
        let total = try encounter.billedTotal()

        var claim = FHIRClaim()
        claim.id = ids["claim"]
        claim.meta = Meta(profile: [claimProfile])
        claim.identifier = [
            Identifier(system: encounter.claimIdentifier.system, value: encounter.claimIdentifier.value)
        ]
        claim.status = "active"
        claim.type = CodeableConcept(
            system: "http://terminology.hl7.org/CodeSystem/claim-type", code: encounter.claimType)
        claim.use = ClaimUse.claim.rawValue
        claim.patient = reference("patient")
        claim.billablePeriod = Period(start: "\(encounter.serviceStart)", end: "\(encounter.serviceEnd)")
        claim.created = "\(encounter.serviceEnd)"
        claim.insurer = reference("insurer")
        claim.provider = reference("provider")
        claim.priority = CodeableConcept(
            system: "http://terminology.hl7.org/CodeSystem/processpriority", code: "normal")
        claim.payee = FHIRClaim.Payee(
            type: CodeableConcept(system: "http://terminology.hl7.org/CodeSystem/payeetype", code: "provider"),
            party: reference("provider"))
        claim.careTeam = [FHIRClaim.CareTeam(sequence: 1, provider: reference("provider"))]
        claim.diagnosis = encounter.diagnoses.enumerated().map { index, diagnosis in
            FHIRClaim.Diagnosis(
                sequence: index + 1, diagnosisCodeableConcept: concept(diagnosis.code),
                type: [
                    CodeableConcept(
                        system: "http://terminology.hl7.org/CodeSystem/ex-diagnosistype", code: diagnosis.type)
                ])
        }
        if !encounter.procedures.isEmpty {
            claim.procedure = encounter.procedures.enumerated().map { index, procedure in
                FHIRClaim.ProcedureEntry(
                    sequence: index + 1, date: procedure.date.map { "\($0)" },
                    procedureCodeableConcept: concept(procedure.code))
            }
        }
        claim.insurance = [FHIRClaim.Insurance(sequence: 1, focal: true, coverage: reference("coverage"))]
        claim.item = encounter.services.enumerated().map { index, service in
            var item = FHIRClaim.Item()
            item.sequence = index + 1
            item.diagnosisSequence = service.diagnosisPointers
            item.productOrService = concept(service.code)
            item.productOrService?.text = service.narrative
            item.modifier =
                service.modifiers.isEmpty ? nil : service.modifiers.map { CodeableConcept(coding: [Coding(code: $0)]) }
            item.servicedDate = service.date.map { "\($0)" }
            item.quantity = Quantity(value: service.units)
            item.unitPrice = FHIRMoney(service.unitPrice)
            item.net = FHIRMoney(service.net)
            return item
        }
        claim.total = FHIRMoney(total)

        func resource(_ members: [String: JSONValue?]) -> JSONValue { .object(members.compactMapValues { $0 }) }
        func profile(_ url: String) -> JSONValue { .object(["profile": .array([.string(url)])]) }
        func identifier(type: String?, typeDisplay: String?, system: String, value: String) -> JSONValue {
            var members: [String: JSONValue] = ["system": .string(system), "value": .string(value)]
            if let type {
                members["type"] = .object([
                    "coding": .array([
                        .object([
                            "system": .string("http://terminology.hl7.org/CodeSystem/v2-0203"), "code": .string(type),
                            "display": .string(typeDisplay ?? type),
                        ])
                    ])
                ])
            }
            return .array([.object(members)])
        }
        let ndhmOrganization = "https://nrces.in/ndhm/fhir/r4/StructureDefinition/Organization"
        let patient = resource([
            "resourceType": .string("Patient"), "id": .string(ids["patient"] ?? ""),
            "meta": profile("https://nrces.in/ndhm/fhir/r4/StructureDefinition/Patient"),
            "identifier": identifier(
                type: "MR", typeDisplay: "Medical record number", system: "urn:rcm:patient:\(encounter.provider.id)",
                value: encounter.patient.id),
            "name": encounter.patient.name.map { .array([.object(["text": .string($0)])]) },
            "gender": encounter.patient.gender.map { .string($0) },
            "birthDate": encounter.patient.birthDate.map { .string("\($0)") },
            "address": encounter.patient.address.map { address in
                .array([
                    .object(
                        [
                            "use": .string("home"),
                            "line": address.lines.isEmpty ? nil : .array(address.lines.map { .string($0) }),
                            "city": address.city.map { .string($0) }, "state": address.state.map { .string($0) },
                            "postalCode": address.postalCode.map { .string($0) },
                            "country": address.country.map { .string($0) },
                        ].compactMapValues { $0 })
                ])
            },
        ])
        let coverage = resource([
            "resourceType": .string("Coverage"), "id": .string(ids["coverage"] ?? ""), "meta": profile(coverageProfile),
            "identifier": encounter.coverage.policyNumber.map {
                identifier(type: nil, typeDisplay: nil, system: "urn:rcm:policy:\(encounter.coverage.payer)", value: $0)
            },
            "status": .string("active"), "subscriberId": .string(encounter.coverage.memberID),
            "beneficiary": .object(["reference": .string("urn:uuid:\(ids["patient"] ?? "")")]),
            "relationship": .object([
                "coding": .array([
                    .object([
                        "system": .string("http://terminology.hl7.org/CodeSystem/subscriber-relationship"),
                        "code": .string(encounter.coverage.relationship),
                    ])
                ])
            ]),
            "payor": .array([.object(["reference": .string("urn:uuid:\(ids["insurer"] ?? "")")])]),
        ])
        let provider = resource([
            "resourceType": .string("Organization"), "id": .string(ids["provider"] ?? ""),
            "meta": profile(ndhmOrganization),
            "identifier": identifier(
                type: "PRN", typeDisplay: "Provider number", system: "urn:rcm:provider", value: encounter.provider.id),
            "name": encounter.provider.name.map { .string($0) },
        ])
        let insurer = resource([
            "resourceType": .string("Organization"), "id": .string(ids["insurer"] ?? ""),
            "meta": profile(ndhmOrganization),
            "identifier": identifier(
                type: nil, typeDisplay: nil, system: "urn:rcm:payer", value: encounter.coverage.payer),
            "name": encounter.coverage.payerName.map { .string($0) },
        ])
        let entries = [try JSONValue(encoding: claim), provider, insurer, patient, coverage].map { resource in
            JSONValue.object([
                "fullUrl": .string("urn:uuid:\(resource["id"]?.stringValue ?? "")"), "resource": resource,
            ])
        }
        return .object([
            "resourceType": .string("Bundle"), "id": .string(resourceID("bundle")),
            "meta": .object([
                "lastUpdated": .string(timestamp), "profile": .array([.string(claimRequestBundleProfile)]),
            ]),
            "identifier": .object([
                "system": .string("urn:rcm:encounter-bundle"), "value": .string(encounter.id),
            ]),
            "type": .string("collection"), "timestamp": .string(timestamp), "entry": .array(entries),
        ])
    }
}
