import FHIR
import Foundation
import RCMCore

/// Reads RCM's encounter input format (docs/integrating.md "Encounter input format") from JSON into
/// ``RCMCore/Encounter``, checking every field.
///
/// Every problem is reported at once, each with its field path (`services[1].unit_price`) and what
/// to do; unknown members are errors too (a misspelt `unit_prise` must not silently drop a charge).
/// Amounts are exact decimals, as JSON numbers or decimal strings; dates are `YYYY-MM-DD` local
/// dates in the facility's time zone.
public struct EncounterReader: Sendable {
    public init() {}

    /// Whether a JSON value looks like an encounter of our format (an object with `encounter_id`)
    /// rather than a FHIR resource.
    public static func isEncounter(_ json: JSONValue) -> Bool {
        json["encounter_id"] != nil && json["resourceType"] == nil
    }

    /// Reads one encounter.
    /// - Throws: ``RCMCore/ClaimIntakeError`` listing every field-level problem.
    public func read(_ json: JSONValue) throws -> RCMCore.Encounter {
        var fields = Fields()
        guard case .object = json else {
            throw ClaimIntakeError(findings: [
                ClaimFinding(.error, field: "encounter", "an encounter is a JSON object; got \(Fields.kind(json))")
            ])
        }
        fields.allow(
            json, "",
            [
                "encounter_id", "claim_id", "claim_id_system", "claim_type", "patient", "coverage", "provider",
                "facility_time_zone", "service_start", "service_end", "currency", "diagnoses", "procedures", "services",
            ])
        let id = fields.text(json, "encounter_id", required: true, max: 64) ?? ""
        let claimValue = fields.text(json, "claim_id", max: 64) ?? id
        let claimSystem =
            fields.text(json, "claim_id_system", max: 200) ?? RCMCore.Encounter.defaultClaimIdentifierSystem
        let claimType =
            fields.code(
                json, "claim_type", among: ["professional", "institutional", "oral", "pharmacy", "vision"])
            ?? "professional"

        let patientJSON = fields.object(json, "patient", required: true)
        var patient: RCMCore.Encounter.Patient?
        if let patientJSON {
            fields.allow(patientJSON, "patient.", ["id", "name", "gender", "birth_date", "address"])
            var address: PostalAddress?
            if let addressJSON = fields.object(patientJSON, "address", prefix: "patient.") {
                let prefix = "patient.address."
                fields.allow(addressJSON, prefix, ["line", "city", "state", "postal_code", "country"])
                let lines = fields.array(addressJSON, "line", prefix: prefix).enumerated().compactMap { index, line in
                    fields.text(
                        .object(["line[\(index)]": line]), "line[\(index)]", prefix: prefix, required: true, max: 100)
                }
                address = PostalAddress(
                    lines: lines, city: fields.text(addressJSON, "city", prefix: prefix, max: 100),
                    state: fields.text(addressJSON, "state", prefix: prefix, max: 40),
                    postalCode: fields.text(addressJSON, "postal_code", prefix: prefix, max: 20),
                    country: fields.text(addressJSON, "country", prefix: prefix, max: 60))
            }
            patient = RCMCore.Encounter.Patient(
                id: fields.text(patientJSON, "id", prefix: "patient.", required: true, max: 64) ?? "",
                name: fields.text(patientJSON, "name", prefix: "patient.", max: 200),
                gender: fields.code(
                    patientJSON, "gender", prefix: "patient.", among: ["male", "female", "other", "unknown"]),
                birthDate: fields.date(patientJSON, "birth_date", prefix: "patient."), address: address)
        }

        let coverageJSON = fields.object(json, "coverage", required: true)
        var coverage: RCMCore.Encounter.Coverage?
        if let coverageJSON {
            let prefix = "coverage."
            fields.allow(coverageJSON, prefix, ["payer", "payer_name", "member_id", "policy_number", "relationship"])
            coverage = RCMCore.Encounter.Coverage(
                payer: fields.text(coverageJSON, "payer", prefix: prefix, required: true, max: 200) ?? "",
                payerName: fields.text(coverageJSON, "payer_name", prefix: prefix, max: 200),
                memberID: fields.text(coverageJSON, "member_id", prefix: prefix, required: true, max: 64) ?? "",
                policyNumber: fields.text(coverageJSON, "policy_number", prefix: prefix, max: 64),
                relationship: fields.code(
                    coverageJSON, "relationship", prefix: prefix,
                    among: ["self", "spouse", "child", "parent", "common", "injured", "other"]) ?? "self")
        }

        let providerJSON = fields.object(json, "provider", required: true)
        var provider: RCMCore.Encounter.Provider?
        if let providerJSON {
            fields.allow(providerJSON, "provider.", ["id", "name"])
            provider = RCMCore.Encounter.Provider(
                id: fields.text(providerJSON, "id", prefix: "provider.", required: true, max: 64) ?? "",
                name: fields.text(providerJSON, "name", prefix: "provider.", max: 200))
        }

        var timeZone = TimeZone(identifier: "Asia/Kolkata") ?? .gmt
        if let name = fields.text(json, "facility_time_zone", max: 64) {
            if let zone = TimeZone(identifier: name) {
                timeZone = zone
            } else {
                fields.fail("facility_time_zone", "'\(name)' is not an IANA time zone such as Asia/Kolkata")
            }
        }
        let start = fields.date(json, "service_start", required: true)
        let end = fields.date(json, "service_end")
        if let start, let end, end < start {
            fields.fail("service_end", "\(end) is before service_start \(start)")
        }
        var currency = CurrencyCode.inr
        if let code = fields.text(json, "currency", max: 3) {
            do { currency = try CurrencyCode(code) } catch { fields.fail("currency", "\(error)") }
        }

        let diagnoses = fields.array(json, "diagnoses", required: true).enumerated().compactMap { index, element in
            let prefix = "diagnoses[\(index)]."
            guard fields.isObject(element, "diagnoses[\(index)]") else { return nil as RCMCore.Encounter.Diagnosis? }
            fields.allow(element, prefix, ["code", "system", "display", "type"])
            guard let code = fields.billingCode(element, prefix: prefix, defaultSystem: .icd10cm) else { return nil }
            let type = fields.code(
                element, "type", prefix: prefix,
                among: ["principal", "admitting", "secondary", "discharge", "clinical", "differential", "provisional"])
            return RCMCore.Encounter.Diagnosis(code: code, type: type ?? (index == 0 ? "principal" : "secondary"))
        }
        if diagnoses.isEmpty, json["diagnoses"] != nil {
            fields.fail("diagnoses", "give at least one diagnosis (the reason for the care billed)")
        }
        let procedures = fields.array(json, "procedures").enumerated().compactMap { index, element in
            let prefix = "procedures[\(index)]."
            guard fields.isObject(element, "procedures[\(index)]") else { return nil as RCMCore.Encounter.Procedure? }
            fields.allow(element, prefix, ["code", "system", "display", "date"])
            guard let code = fields.billingCode(element, prefix: prefix, defaultSystem: .icd10pcs) else { return nil }
            return RCMCore.Encounter.Procedure(code: code, date: fields.date(element, "date", prefix: prefix))
        }
        var serviceElements = fields.array(json, "services", required: true)
        if let problem = ClaimLimits.lineCountProblem(serviceElements.count, field: "services") {
            // Refused before 110,000 lines are each read and checked.
            fields.findings.append(problem)
            serviceElements = []
        }
        let services = serviceElements.enumerated().compactMap { index, element in
            let prefix = "services[\(index)]."
            guard fields.isObject(element, "services[\(index)]") else { return nil as RCMCore.Encounter.Service? }
            fields.allow(
                element, prefix,
                [
                    "code", "system", "display", "modifiers", "narrative", "units", "unit_price", "date",
                    "diagnosis_pointers",
                ])
            let code = fields.billingCode(element, prefix: prefix, defaultSystem: nil)
            let given = fields.array(element, "modifiers", prefix: prefix)
            if given.count > ServiceModifiers.maximum {
                fields.fail(
                    prefix + "modifiers",
                    "at most \(ServiceModifiers.maximum) modifiers per line (X12 837P SV101-3…6); got \(given.count)")
            }
            let modifiers = given.enumerated().compactMap { position, value in
                guard let text = value.stringValue, let modifier = ServiceModifiers.normalized(text) else {
                    fields.fail(
                        prefix + "modifiers[\(position)]", "a modifier is two letters or digits, such as 25, LT or GT")
                    return nil as String?
                }
                return modifier
            }
            var narrative: String?
            if let value = element["narrative"] {
                let text = value.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                if text.isEmpty || text.count > ServiceModifiers.narrativeLength {
                    fields.fail(
                        prefix + "narrative",
                        "a narrative is text of 1 to \(ServiceModifiers.narrativeLength) characters (X12 837P SV101-7), "
                            + "e.g. the drug, dose and route of an unclassified drug code")
                } else {
                    narrative = text
                }
            }
            let units = fields.decimal(element, "units", prefix: prefix) ?? 1
            if units <= 0 { fields.fail(prefix + "units", "units must be greater than zero; got \(units)") }
            var unitPrice: Money?
            if let amount = fields.decimal(element, "unit_price", prefix: prefix, required: true) {
                if amount < 0 {
                    fields.fail(prefix + "unit_price", "a charge cannot be negative; got \(amount)")
                } else {
                    do { unitPrice = try Money(amount, currency) } catch {
                        fields.fail(prefix + "unit_price", "\(error)")
                    }
                }
            }
            let date = fields.date(element, "date", prefix: prefix)
            if let date, let start, date < start || date > (end ?? start) {
                fields.fail(prefix + "date", "\(date) is outside the service period \(start)…\(end ?? start)")
            }
            var pointers = [1]
            if element["diagnosis_pointers"] != nil {
                pointers = fields.array(element, "diagnosis_pointers", prefix: prefix).enumerated().compactMap {
                    position, value in
                    guard case .number(let number) = value,
                        let pointer = Int(exactly: NSDecimalNumber(decimal: number)),
                        pointer >= 1, pointer <= max(diagnoses.count, 1)
                    else {
                        fields.fail(
                            prefix + "diagnosis_pointers[\(position)]",
                            "points at no diagnosis: give a position 1…\(diagnoses.count) in diagnoses")
                        return nil as Int?
                    }
                    return pointer
                }
            }
            guard let code, let unitPrice else { return nil }
            return RCMCore.Encounter.Service(
                code: code, modifiers: modifiers, narrative: narrative, units: units, unitPrice: unitPrice, date: date,
                diagnosisPointers: pointers)
        }
        if services.isEmpty, json["services"] != nil, fields.findings.isEmpty {
            fields.fail("services", "give at least one charged service")
        }
        guard fields.findings.isEmpty, let patient, let coverage, let provider, let start else {
            throw ClaimIntakeError(findings: fields.findings)
        }
        return RCMCore.Encounter(
            id: id, claimIdentifier: ClaimIdentifier(system: claimSystem, value: claimValue), claimType: claimType,
            patient: patient, coverage: coverage, provider: provider, facilityTimeZone: timeZone, serviceStart: start,
            serviceEnd: end ?? start, diagnoses: diagnoses, procedures: procedures, services: services)
    }
}

/// Field access that records a finding per problem instead of stopping at the first.
private struct Fields {
    var findings: [ClaimFinding] = []

    mutating func fail(_ field: String, _ message: String) {
        findings.append(ClaimFinding(.error, field: field, message))
    }

    static func kind(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    mutating func allow(_ object: JSONValue, _ prefix: String, _ names: Set<String>) {
        guard case .object(let members) = object else { return }
        for key in members.keys.sorted() where !names.contains(key) {
            fail(
                prefix + key,
                "is not a field of the encounter format (expected one of: \(names.sorted().joined(separator: ", ")))")
        }
    }

    mutating func isObject(_ value: JSONValue, _ field: String) -> Bool {
        guard case .object = value else {
            fail(field, "must be an object; got \(Self.kind(value))")
            return false
        }
        return true
    }

    mutating func object(_ json: JSONValue, _ key: String, prefix: String = "", required: Bool = false) -> JSONValue? {
        guard let value = json[key], value != .null else {
            if required { fail(prefix + key, "is required") }
            return nil
        }
        return isObject(value, prefix + key) ? value : nil
    }

    mutating func array(_ json: JSONValue, _ key: String, prefix: String = "", required: Bool = false) -> [JSONValue] {
        guard let value = json[key], value != .null else {
            if required { fail(prefix + key, "is required") }
            return []
        }
        guard case .array(let elements) = value else {
            fail(prefix + key, "must be an array; got \(Self.kind(value))")
            return []
        }
        return elements
    }

    mutating func text(_ json: JSONValue, _ key: String, prefix: String = "", required: Bool = false, max: Int)
        -> String?
    {
        guard let value = json[key], value != .null else {
            if required { fail(prefix + key, "is required") }
            return nil
        }
        guard let text = value.stringValue?.trimmingCharacters(in: .whitespaces) else {
            fail(prefix + key, "must be a string; got \(Self.kind(value))")
            return nil
        }
        guard !text.isEmpty else {
            if required { fail(prefix + key, "is empty") }
            return nil
        }
        guard text.count <= max else {
            fail(prefix + key, "is \(text.count) characters long; at most \(max)")
            return nil
        }
        // Every text of RCM's encounter format is a name, an id or a code (InputText's one rule).
        if let problem = InputText.problem(in: text, as: .identifier) {
            fail(prefix + key, problem)
            return nil
        }
        return text
    }

    mutating func code(_ json: JSONValue, _ key: String, prefix: String = "", among codes: [String]) -> String? {
        guard let text = text(json, key, prefix: prefix, max: 40) else { return nil }
        guard codes.contains(text) else {
            fail(prefix + key, "'\(text)' is not one of: \(codes.joined(separator: ", "))")
            return nil
        }
        return text
    }

    mutating func date(_ json: JSONValue, _ key: String, prefix: String = "", required: Bool = false) -> ServiceDate? {
        guard let text = text(json, key, prefix: prefix, required: required, max: 10) else { return nil }
        do { return try ServiceDate(iso8601: text) } catch {
            fail(prefix + key, "'\(text)' is not a date YYYY-MM-DD")
            return nil
        }
    }

    mutating func decimal(_ json: JSONValue, _ key: String, prefix: String = "", required: Bool = false) -> Decimal? {
        switch json[key] {
        case nil, .null?:
            if required { fail(prefix + key, "is required") }
            return nil
        case .number(let number)?: return number
        case .string(let text)?:
            guard let number = DecimalText.parse(text) else {
                fail(prefix + key, "'\(text)' is not a decimal number such as 1250.50")
                return nil
            }
            return number
        case let value?:
            fail(prefix + key, "must be a number or a decimal string; got \(Self.kind(value))")
            return nil
        }
    }

    /// `code` with `system` (a short name — `icd-10-cm`, `icd-10-pcs`, `cpt`, `hcpcs` — or a URI),
    /// defaulting to `defaultSystem`; services without a system need one.
    mutating func billingCode(_ json: JSONValue, prefix: String, defaultSystem: CodeSystem?) -> BillingCode? {
        let code = text(json, "code", prefix: prefix, required: true, max: 40)
        let display = text(json, "display", prefix: prefix, max: 200)
        var system = defaultSystem?.uri
        if let name = text(json, "system", prefix: prefix, max: 200) {
            if let known = CodeSystem(rawValue: name.lowercased()) {
                system = known.uri
            } else if name.contains(":") {
                system = name
            } else {
                fail(
                    prefix + "system",
                    "'\(name)' is neither a short name (icd-10-cm, icd-10-pcs, cpt, hcpcs) nor a URI such as "
                        + "https://your-clinic.example/chargemaster")
                return nil
            }
        }
        guard let code else { return nil }
        guard let system else {
            fail(prefix + "system", "is required for a service: cpt, hcpcs, or your chargemaster's URI")
            return nil
        }
        return BillingCode(system: system, code: code, display: display)
    }
}
