import FHIR
import Foundation
import RCMCore
import Testing

@testable import RevenueCycle

/// RCM's encounter input format: read with field-level findings, built into a ClaimRequestBundle,
/// and taken in idempotently.
@Suite struct EncounterIntakeTests {
    static let samplesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples")

    static func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    static let minimal = """
        {"encounter_id": "E-1", "patient": {"id": "MRN-1"}, "coverage": {"payer": "P", "member_id": "M-1"},
         "provider": {"id": "HFR-1"}, "service_start": "2026-11-12",
         "diagnoses": [{"code": "J02.9"}],
         "services": [{"system": "cpt", "code": "99213", "unit_price": "800.10", "units": 2}]}
        """

    static func findings(_ text: String) throws -> [String] {
        do {
            _ = try EncounterReader().read(try json(text))
            return []
        } catch let error as ClaimIntakeError {
            return error.findings.map { "\($0.field): \($0.message)" }
        }
    }

    @Test func aMinimalEncounterTakesItsDefaults() throws {
        let encounter = try EncounterReader().read(try Self.json(Self.minimal))
        #expect(encounter.claimIdentifier == ClaimIdentifier(system: "urn:rcm:encounter", value: "E-1"))
        #expect(encounter.claimType == "professional")
        #expect(encounter.serviceEnd == encounter.serviceStart)
        #expect(encounter.diagnoses.map(\.type) == ["principal"])
        #expect(encounter.diagnoses[0].code.system == CodeSystem.icd10cm.uri)
        #expect(encounter.services[0].code.system == CodeSystem.cpt.uri)
        #expect(encounter.services[0].diagnosisPointers == [1])
        #expect(try encounter.billedTotal().description == "INR 1600.20")
        #expect(encounter.coverage.relationship == "self")
        #expect(encounter.facilityTimeZone.identifier == "Asia/Kolkata")
    }

    @Test func everyBadFieldIsReportedWithItsPath() throws {
        let found = try Self.findings(
            """
            {"encounter_id": "E-2", "patient": {"id": "MRN-1", "gender": "m"}, "coverage": {"payer": "P"},
             "provider": "HFR-1", "service_start": "2026-11-12", "service_end": "2026-11-10",
             "facility_time_zone": "Mars/Olympus", "currency": "Rs",
             "diagnoses": [{"code": "J02.9", "system": "icd9"}],
             "services": [{"code": "99213", "system": "cpt", "unit_price": "80.005", "units": 0, "modifiers": [25],
                           "diagnosis_pointers": [2], "unit_prise": "1"},
                          {"code": "X", "system": "urn:x", "unit_price": -5, "date": "2026-12-01"}]}
            """)
        #expect(
            found == [
                "patient.gender: 'm' is not one of: male, female, other, unknown",
                "coverage.member_id: is required",
                "provider: must be an object; got a string",
                "facility_time_zone: 'Mars/Olympus' is not an IANA time zone such as Asia/Kolkata",
                "service_end: 2026-11-10 is before service_start 2026-11-12",
                "currency: 'Rs' is not an ISO 4217 currency code (three letters, e.g. INR)",
                "diagnoses[0].system: 'icd9' is neither a short name (icd-10-cm, icd-10-pcs, cpt, hcpcs) nor a URI such as https://your-clinic.example/chargemaster",
                "diagnoses: give at least one diagnosis (the reason for the care billed)",
                "services[0].unit_prise: is not a field of the encounter format (expected one of: code, date, diagnosis_pointers, display, modifiers, narrative, system, unit_price, units)",
                "services[0].modifiers[0]: a modifier is two letters or digits, such as 25, LT or GT",
                "services[0].units: units must be greater than zero; got 0",
                "services[0].unit_price: INR 80.005 has more decimal places than the currency's minor unit",
                "services[0].diagnosis_pointers[0]: points at no diagnosis: give a position 1…0 in diagnoses",
                "services[1].unit_price: a charge cannot be negative; got -5",
                "services[1].date: 2026-12-01 is outside the service period 2026-11-12…2026-11-10",
            ])
    }

    /// Modifiers are normalised (upper case) and kept on the line in the claim bundle; at most four,
    /// each two letters or digits; a narrative (for a not-otherwise-classified code) goes to
    /// `productOrService.text` (X12 837P SV101-3…7).
    @Test func modifiersAreNormalisedAndTheNarrativeIsKept() throws {
        let text = Self.minimal.replacingOccurrences(
            of: #""units": 2}"#,
            with:
                #""units": 2, "modifiers": ["gt", " 25 "]}, {"system": "hcpcs", "code": "J3490", "unit_price": "50.00", "narrative": "Ceftriaxone 1 g IV"}"#
        )
        let encounter = try EncounterReader().read(try Self.json(text))
        #expect(encounter.services.map(\.modifiers) == [["GT", "25"], []])
        #expect(encounter.services.map(\.narrative) == [nil, "Ceftriaxone 1 g IV"])
        let claim = try ClaimBundle(
            json: FHIR.Bundle.claimRequestBundle(
                for: encounter, resourceID: { _ in UUID().uuidString.lowercased() }, timestamp: "2026-11-12T10:00:00Z")
        ).claim
        #expect(claim.item?[0].modifier?.compactMap { $0.coding?.first?.code } == ["GT", "25"])
        #expect(claim.item?[1].productOrService?.text == "Ceftriaxone 1 g IV")
        #expect(claim.billedServices.map(\.modifiers) == [["GT", "25"], []])
        #expect(claim.billedServices.map(\.narrative) == [nil, "Ceftriaxone 1 g IV"])

        let refused = try Self.findings(
            Self.minimal.replacingOccurrences(
                of: #""units": 2}"#, with: #""units": 2, "modifiers": ["25", "59", "LT", "GT", "KX"], "narrative": ""}"#
            )
        )
        #expect(
            refused == [
                "services[0].modifiers: at most 4 modifiers per line (X12 837P SV101-3…6); got 5",
                "services[0].narrative: a narrative is text of 1 to 80 characters (X12 837P SV101-7), e.g. the drug, dose and route of an unclassified drug code",
            ])
    }

    @Test func controlCharactersAreRefused() throws {
        let text = Self.minimal.replacingOccurrences(of: #""E-1""#, with: #""E-\u0000-1""#)
        #expect(
            try Self.findings(text) == [
                "encounter_id: contains the control character U+0000; identifiers, codes and references may not "
                    + "contain control characters"
            ])
    }

    /// A claim over the line limit is refused before its lines are read (110,000 lines once held the
    /// database for six minutes); at the limit it is taken in.
    @Test func claimsOverTheLineLimitAreRefusedAtOnce() throws {
        func encounter(lines: Int) -> String {
            let service = #"{"system": "cpt", "code": "99213", "unit_price": "1.00"}"#
            return Self.minimal.replacingOccurrences(
                of: #"[{"system": "cpt", "code": "99213", "unit_price": "800.10", "units": 2}]"#,
                with: "[" + Array(repeating: service, count: lines).joined(separator: ",") + "]")
        }
        #expect(
            try Self.findings(encounter(lines: ClaimLimits.maximumLines + 1)) == [
                "services: the claim has 1000 service lines; at most 999 (X12 837I's limit) are taken in one claim: "
                    + "split the encounter into several claims"
            ])
        let atLimit = try EncounterReader().read(try Self.json(encounter(lines: ClaimLimits.maximumLines)))
        #expect(atLimit.services.count == 999)
        let submission = try ClaimSubmission(encounter: atLimit, now: Date())
        #expect(submission.claim.lines.count == 999)
    }

    /// A birth date in the future, after the date of service, or 130 years before it is refused.
    @Test func implausibleBirthDatesAreRefused() throws {
        let now = try #require(ISO8601DateFormatter().date(from: "2026-12-05T10:00:00Z"))
        for (birthDate, message) in [
            ("2206-01-01", "2206-01-01 is in the future (today is 2026-12-05)"),
            ("2026-11-20", "2026-11-20 is after the date of service 2026-11-12"),
            ("1890-05-01", "1890-05-01 would make the patient over 130 years old"),
        ] {
            let text = Self.minimal.replacingOccurrences(
                of: #"{"id": "MRN-1"}"#, with: #"{"id": "MRN-1", "birth_date": "\#(birthDate)"}"#)
            #expect(throws: ClaimIntakeError(findings: [ClaimFinding(.error, field: "patient.birth_date", message)])) {
                try ClaimSubmission(encounter: try EncounterReader().read(try Self.json(text)), now: now)
            }
        }
        let born = Self.minimal.replacingOccurrences(
            of: #"{"id": "MRN-1"}"#, with: #"{"id": "MRN-1", "birth_date": "1950-02-28"}"#)
        _ = try ClaimSubmission(encounter: try EncounterReader().read(try Self.json(born)), now: now)
    }

    @Test func aValueThatIsNotAnObjectIsRefused() throws {
        #expect(
            try Self.findings(#"["not", "an", "encounter"]"#) == [
                "encounter: an encounter is a JSON object; got an array"
            ])
    }

    @Test func theSameEncounterBuildsTheSameClaimAtAnyTime() throws {
        let encounter = try EncounterReader().read(try Self.json(Self.minimal))
        let first = try ClaimSubmission(encounter: encounter, now: Date(timeIntervalSince1970: 1_800_000_000))
        let later = try ClaimSubmission(encounter: encounter, now: Date(timeIntervalSince1970: 1_800_086_400))
        #expect(first.intakeKey == later.intakeKey)
        #expect(first.bundle["timestamp"] != later.bundle["timestamp"])
        #expect(first.bundle["timestamp"]?.stringValue == "2027-01-15T13:30:00+05:30")
        #expect(first.claim.identifier.value == "E-1")
        #expect(first.claim.billedTotal.description == "INR 1600.20")
        // A corrected encounter is another claim.
        var text = Self.minimal
        text = text.replacingOccurrences(of: "800.10", with: "800.00")
        let corrected = try ClaimSubmission(encounter: try EncounterReader().read(try Self.json(text)), now: Date())
        #expect(corrected.intakeKey != first.intakeKey)
    }

    @Test func anInputMayBeOneValueAnArrayOrNDJSONOfEncountersAndBundles() throws {
        let reader = IntakeReader()
        #expect(try reader.read(Data(Self.minimal.utf8)).map(\.position) == [nil])
        let bundle = try Data(
            contentsOf: Self.samplesFolder.appendingPathComponent("claim-approved-outpatient-visit.json"))
        let array = "[\(Self.minimal), \(String(decoding: bundle, as: UTF8.self))]"
        let entries = try reader.read(Data(array.utf8))
        #expect(entries.map(\.position) == ["[0]", "[1]"])
        #expect(try entries.map { try $0.result.get().claim.identifier.value } == ["E-1", "CLM-2026-000101"])

        let line = Self.minimal.replacingOccurrences(of: "\n", with: " ")
        let ndjson = "\(line)\n\nnot json\n\(line.replacingOccurrences(of: "E-1", with: "E-3"))\n"
        let lines = try reader.read(Data(ndjson.utf8))
        #expect(lines.map(\.position) == [":1", ":3", ":4"])
        #expect((try? lines[0].result.get().claim.identifier.value) == "E-1")
        #expect((try? lines[1].result.get()) == nil)
        #expect((try? lines[2].result.get().claim.identifier.value) == "E-3")

        #expect(throws: FHIRError.self) { try reader.read(Data("neither\njson".utf8)) }
    }

    @Test func theSampleEncountersAreRead() throws {
        let data = try Data(contentsOf: Self.samplesFolder.appendingPathComponent("encounters-clinic-week.json"))
        let submissions = try IntakeReader().read(data).map { try $0.result.get() }
        #expect(submissions.count == 5)
        #expect(
            submissions.map(\.claim.billedTotal.description) == [
                "INR 1250.00", "INR 13200.00", "INR 154000.00", "INR 1426.50", "INR 800.00",
            ])
        #expect(submissions.allSatisfy { $0.claim.findings.isEmpty })
        // Parties by business identifier, not by the bundle's urn:uuid references.
        #expect(submissions[0].claim.payer == "DEMO-HEALTH-INSURANCE")
        #expect(submissions[0].claim.provider == "HFR-DEMO-0042")
        #expect(submissions[0].claim.patientReference == "MRN-100611")
    }
}
