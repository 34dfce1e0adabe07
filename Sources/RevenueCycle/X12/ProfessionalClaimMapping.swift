import FHIR
import Foundation
import RCMCore
import X12

/// A stored claim as an 837P claim (loops 2000B–2400 of 005010X222A1), read from its FHIR bundle:
///
/// - CLM01, the patient control number the 835 returns in CLP01: the claim's business identifier
///   (`Claim.identifier.value`, at most 38 characters).
/// - 2010BA subscriber: the focal `Claim.insurance.coverage`'s `Coverage.subscriber` (a Patient or
///   RelatedPerson of the bundle), the patient when `Coverage.relationship` is `self` or no
///   relationship is given; member id `Coverage.subscriberId`; name (`family`, first `given`; a
///   name given only as `text` is split at its last space, a closing "(…)" note left out),
///   `birthDate`, `gender` (`male` M, `female` F, otherwise U) and the first address (in the US
///   the state code and ZIP; elsewhere the postal code and ISO country code, N404; the guide
///   requires the subscriber's address when the subscriber is the patient, the patient's otherwise).
/// - 2000C patient, when not the subscriber, with PAT01 from `Coverage.relationship`
///   (`spouse` 01, `child` 19, anything else G8).
/// - 2010BB payer: the insurer Organization's `name`, and the payer id the payer's configuration
///   names (`rcm payers set --x12-payer-id`).
/// - HI: the ICD-10-CM diagnoses in `Claim.diagnosis` order, at most 12, without the dot.
/// - 2400 lines: CPT and HCPCS codes with SV101 qualifier `HC`; other codes (a payer's package
///   codes, a chargemaster's own) as jurisdiction-specific `ER`, with a warning; their modifiers
///   (at most four), narrative (`productOrService.text`), charge `item.net`, units `item.quantity`, diagnosis
///   pointers from `item.diagnosisSequence` (the principal diagnosis when none), date of service
///   `item.servicedDate` or the claim's; at most 50 lines.
/// - Place of service (CLM05-1): `11` (office), professional claims' usual place; RCM does not
///   read `Claim.item.location` yet.
///
/// Everything that keeps a claim from being written is reported together, as error findings on
/// the FHIR field to correct (the scrub stops the claim with them before it is sent).
public enum ProfessionalClaimMapping {
    /// The 837P claim, and warnings about what it carries (a code sent as jurisdiction-specific).
    /// - Throws: ``ClaimIntakeError`` with every field that keeps the claim from being written.
    public static func claim(_ stored: StoredClaim, payerID: String) throws -> (
        claim: Professional837.Claim, warnings: [ClaimFinding]
    ) {
        var errors: [ClaimFinding] = []
        var warnings: [ClaimFinding] = []
        var jurisdictionCodes: [String] = []
        func fail(_ field: String, _ message: String) { errors.append(ClaimFinding(.error, field: field, message)) }
        let bundle = try ClaimBundle(json: try stored.bundle())
        let claim = bundle.claim

        let controlNumber = stored.claim.identifier.value
        if controlNumber.count > 38 {
            fail(
                "Claim.identifier",
                "an 837P carries at most 38 characters as the patient control number (CLM01); '\(controlNumber)' has \(controlNumber.count)"
            )
        }

        let insurance = claim.insurance?.first { $0.focal == true } ?? claim.insurance?.first
        let coverage = try bundle.resource(referencedBy: insurance?.coverage).map { try $0.decode(as: Coverage.self) }
        let relationship = coverage?.relationship?.coding?.first?.code ?? "self"
        let patientResource = try bundle.resource(referencedBy: claim.patient).map { try $0.decode(as: Patient.self) }
        let subscriberIsPatient = relationship == "self"
        let subscriberResource =
            subscriberIsPatient
            ? patientResource
            : try bundle.resource(referencedBy: coverage?.subscriber).map { try $0.decode(as: Patient.self) }
        if coverage == nil { fail("Claim.insurance.coverage", "an 837P needs the member's Coverage in the bundle") }
        let memberID = coverage?.subscriberId ?? ""
        if coverage != nil, memberID.isEmpty {
            fail("Coverage.subscriberId", "an 837P needs the member id (loop 2010BA NM109)")
        }
        let subscriber = person(
            subscriberResource, field: subscriberIsPatient ? "Patient" : "Coverage.subscriber", fail: fail)
        let patient = subscriberIsPatient ? nil : person(patientResource, field: "Patient", fail: fail)

        let payerName =
            try bundle.resource(referencedBy: claim.insurer).map { try $0.decode(as: Organization.self) }?.name
            ?? stored.claim.payer

        var diagnoses: [String] = []
        var pointerOf: [Int: Int] = [:]
        for (index, diagnosis) in (claim.diagnosis ?? []).enumerated() {
            let coding = diagnosis.diagnosisCodeableConcept?.coding?.first
            let field = "Claim.diagnosis[\(index)]"
            guard let code = coding?.code, coding?.system.flatMap(CodeSystem.init(uri:)) == .icd10cm else {
                fail(field, "an 837P carries ICD-10-CM diagnoses only (HI qualifiers ABK, ABF)")
                continue
            }
            diagnoses.append(code.replacingOccurrences(of: ".", with: ""))
            if let sequence = diagnosis.sequence { pointerOf[sequence] = diagnoses.count }
        }
        if diagnoses.count > 12 {
            fail("Claim.diagnosis", "an 837P carries at most 12 diagnoses, the claim has \(diagnoses.count)")
        }

        let items = claim.item ?? []
        if items.count > 50 {
            fail("Claim.item", "an 837P claim carries at most 50 service lines, the claim has \(items.count)")
        }
        let services = claim.billedServices
        var lines: [Professional837.Line] = []
        for (line, service) in zip(stored.claim.lines, services) {
            let item = items[service.sequence - 1]
            let field = "Claim.item[\(service.sequence - 1)]"
            let system = service.code.system.flatMap(CodeSystem.init(uri:))
            let qualifier = system == .cpt || system == .hcpcs ? "HC" : "ER"
            if qualifier == "ER" {
                if service.code.code.count > 48 {
                    fail("\(field).productOrService", "an 837P carries a code of at most 48 characters (SV101-2)")
                }
                jurisdictionCodes.append(service.code.code)
            }
            let modifiers = service.modifiers.map { ServiceModifiers.normalized($0) ?? $0 }
            if modifiers.count > ServiceModifiers.maximum {
                fail("\(field).modifier", "an 837P line carries at most four modifiers")
            }
            var pointers: [Int] = []
            for sequence in item.diagnosisSequence ?? [] {
                if let pointer = pointerOf[sequence], pointer <= 12 { pointers.append(pointer) }
            }
            let date = item.servicedDate.flatMap { try? ServiceDate(day: String($0.prefix(10))) }
            lines.append(
                Professional837.Line(
                    qualifier: qualifier, code: service.code.code, modifiers: modifiers, narrative: service.narrative,
                    charge: line.net,
                    units: line.quantity, diagnosisPointers: Array((pointers.isEmpty ? [1] : pointers).prefix(4)),
                    serviceDate: date ?? stored.claim.dateOfService))
        }
        if !jurisdictionCodes.isEmpty {
            warnings.append(
                ClaimFinding(
                    .warning, field: "Claim.item.productOrService",
                    "\(jurisdictionCodes.joined(separator: ", ")) \(jurisdictionCodes.count == 1 ? "is" : "are") neither "
                        + "CPT nor HCPCS: the 837P sends \(jurisdictionCodes.count == 1 ? "it as a jurisdiction-specific code" : "them as jurisdiction-specific codes") (SV101 qualifier ER), "
                        + "which only a payer that defined \(jurisdictionCodes.count == 1 ? "it" : "them") accepts"))
        }
        if (claim.diagnosis ?? []).isEmpty { fail("Claim.diagnosis", "an 837P needs at least one ICD-10-CM diagnosis") }
        guard errors.isEmpty, let subscriber else { throw ClaimIntakeError(findings: errors + warnings) }
        let written = Professional837.Claim(
            patientControlNumber: controlNumber, subscriber: subscriber, memberID: memberID, payerName: payerName,
            payerID: payerID, patient: patient, patientRelationship: relationshipCode(relationship),
            placeOfService: "11", diagnoses: diagnoses, lines: lines)
        return (written, warnings)
    }

    /// PAT01, the individual relationship code, of a FHIR subscriber-relationship code.
    static func relationshipCode(_ code: String) -> String {
        switch code {
        case "spouse": "01"
        case "child": "19"
        default: "G8"
        }
    }

    /// A person as NM1, DMG, N3 and N4 need them, or `nil` with the missing fields reported.
    private static func person(
        _ resource: Patient?, field: String, fail: (String, String) -> Void
    ) -> Professional837.Person? {
        guard let resource else {
            fail(field, "an 837P needs this person's name, birth date, gender and address in the bundle")
            return nil
        }
        let name = resource.name?.first
        var last = name?.family ?? ""
        var first = name?.given?.first ?? ""
        if last.isEmpty, var text = name?.text?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            // A note after the name, "(synthetic)", "(deceased)", is not part of it.
            if text.hasSuffix(")"), let open = text.lastIndex(of: "("), open > text.startIndex {
                text = text[..<open].trimmingCharacters(in: .whitespaces)
            }
            if let space = text.lastIndex(of: " ") {
                first = String(text[..<space]).trimmingCharacters(in: .whitespaces)
                last = String(text[text.index(after: space)...])
            } else {
                last = text
            }
        }
        if last.isEmpty { fail("\(field).name", "an 837P needs the person's last name (NM103)") }
        let birthDate = resource.birthDate.flatMap { try? ServiceDate(day: $0) }
        if birthDate == nil { fail("\(field).birthDate", "an 837P needs the birth date as YYYY-MM-DD (DMG02)") }
        let gender =
            switch resource.gender {
            case "male"?: "M"
            case "female"?: "F"
            default: "U"
            }
        let address = resource.address?.first
        let street = address?.line?.first ?? ""
        let city = address?.city ?? ""
        let state = address?.state ?? ""
        let country = Self.countryCode(address?.country)
        var postalCode = address?.postalCode ?? ""
        if country == nil { postalCode = postalCode.replacingOccurrences(of: "-", with: "") }
        if address == nil {
            fail("\(field).address", "an 837P needs the person's address (N3, N4)")
        } else {
            if street.isEmpty || city.isEmpty { fail("\(field).address", "an 837P needs a street line and a city") }
            if let country {
                if country.count != 2 {
                    fail(
                        "\(field).address.country",
                        "an 837P needs the ISO 3166 two-letter country code (N404) outside the US, got '\(country)'")
                }
                if postalCode.isEmpty || postalCode.count > 15 {
                    fail("\(field).address.postalCode", "an 837P needs the postal code (N403, at most 15 characters)")
                }
            } else {
                if state.count != 2 || !state.allSatisfy(\.isLetter) {
                    fail("\(field).address.state", "an 837P needs the two-letter US state code (N402), got '\(state)'")
                }
                if ![5, 9].contains(postalCode.count) || !postalCode.allSatisfy(\.isASCIIDigit) {
                    fail(
                        "\(field).address.postalCode",
                        "an 837P needs a 5- or 9-digit ZIP code (N403), got '\(postalCode)'")
                }
            }
        }
        guard !last.isEmpty, let birthDate, address != nil else { return nil }
        return Professional837.Person(
            lastName: last, firstName: first, birthDate: birthDate, gender: gender,
            address: Professional837.Address(
                line1: street, city: city, state: state.uppercased(), postalCode: postalCode, country: country))
    }

    /// N404 for an address outside the US: the ISO 3166 code as given (upper case), `nil` for the
    /// US (`US`, `USA`, or no country).
    static func countryCode(_ country: String?) -> String? {
        guard let country = country?.trimmingCharacters(in: .whitespaces).uppercased(), !country.isEmpty,
            !["US", "USA", "UNITED STATES"].contains(country)
        else { return nil }
        return country
    }
}

extension Character {
    /// `0`…`9` (not other scripts' digits).
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
