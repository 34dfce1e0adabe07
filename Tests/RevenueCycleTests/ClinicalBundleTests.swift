import FHIR
import Foundation
import RCMCore
import Testing

@testable import RevenueCycle

/// FHIR clinical bundles priced through a chargemaster into claims, one per Encounter.
@Suite struct ClinicalBundleTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples")

    static func chargemaster() throws -> Chargemaster {
        try Chargemaster(
            csv: try String(contentsOf: samples.appendingPathComponent("chargemaster.csv"), encoding: .utf8))
    }

    static func bundle() throws -> Data {
        try Data(contentsOf: samples.appendingPathComponent("clinical-bundle-us-core.json"))
    }

    @Test func eachEncounterBecomesAClaimWithWhatCannotBeBilledReported() throws {
        let entries = try IntakeReader(chargemaster: try Self.chargemaster()).read(try Self.bundle())
        #expect(
            entries.map(\.position) == [
                "#Encounter/3f7a2c10-5b6e-4d8f-9a21-7c4e0b9d1a05", "#Encounter/3f7a2c10-5b6e-4d8f-9a21-7c4e0b9d1a06",
            ])
        let first = try entries[0].result.get().claim
        #expect(first.identifier.value == "ENC-EHR-3001")
        #expect(first.payer == "DEMO-HEALTH-INSURANCE")
        #expect(first.provider == "HFR-DEMO-0042")
        #expect(first.patientReference == "MRN-100700")
        #expect(first.dateOfService.description == "2026-11-18")
        #expect(first.diagnoses.map(\.code) == ["J20.9"])
        #expect(first.lines.map(\.service.code) == ["99213", "71046"])
        #expect(first.billedTotal.description == "INR 2100.00")
        #expect(first.findings.map(\.message) == ["SNOMED CT 56251003 is not in the chargemaster: not billed"])
        let second = try entries[1].result.get().claim
        #expect(second.diagnoses.map(\.code) == ["I10"])
        #expect(second.lines.map(\.service.code) == ["99212", "93000"])
        #expect(second.findings.map(\.field) == ["Condition/3f7a2c10-5b6e-4d8f-9a21-7c4e0b9d1a0b"])
    }

    @Test func withoutAChargemasterOrABillableDiagnosisNothingIsBilled() throws {
        let unpriced = try IntakeReader().read(try Self.bundle())
        #expect(unpriced.count == 2)
        for entry in unpriced {
            #expect(throws: ClaimIntakeError.self) { try entry.result.get() }
        }
        // A chargemaster that prices nothing of these encounters: each is refused with the reasons.
        let other = try Chargemaster(csv: "system,code,description,unit_price,currency\ncpt,99999,Other,10.00,INR\n")
        let entries = try IntakeReader(chargemaster: other).read(try Self.bundle())
        do {
            _ = try entries[0].result.get()
            Issue.record("an encounter with nothing priced was billed")
        } catch let error as ClaimIntakeError {
            #expect(error.description.contains("nothing billable: no service of this encounter is in the chargemaster"))
        }
    }

    @Test func aBadChargemasterNamesTheLine() throws {
        let header = "system,code,description,unit_price,currency\n"
        for (text, message) in [
            ("code,price\n", "chargemaster line 1: the header must be system,code,description,unit_price,currency"),
            (
                header + "cpt,99213,Visit,9OO.00,INR\n",
                "chargemaster line 2: unit_price '9OO.00' is not a non-negative decimal"
            ),
            (header + "cpt,99213,Visit,900.005,INR\n", "chargemaster line 2: INR 900.005 has more decimal places"),
            (
                header + "cpt,99213,Visit,900.00,INR\ncpt,99213,Again,1.00,INR\n",
                "chargemaster line 3: 99213 is listed twice"
            ),
            (header + "cpt,,Visit,900.00,INR\n", "chargemaster line 2: code is empty"),
        ] {
            do {
                _ = try Chargemaster(csv: text)
                Issue.record("accepted: \(text)")
            } catch let error as ChargemasterError {
                #expect(error.description.hasPrefix(message), "\(error)")
            }
        }
        let prices = try Self.chargemaster()
        #expect(prices.entry(system: CodeSystem.cpt.uri, code: "99213")?.unitPrice.description == "INR 900.00")
        #expect(prices.entry(system: "http://snomed.info/sct", code: "99213") == nil)
    }

    /// The sample bundle changed by `edit` (its JSON as Foundation objects).
    static func edited(_ edit: (inout [String: Any]) -> Void) throws -> Data {
        var json = try JSONSerialization.jsonObject(with: try bundle()) as! [String: Any]
        edit(&json)
        return try JSONSerialization.data(withJSONObject: json)
    }

    /// Resources named only by their `urn:uuid` fullUrl (no `id`, no Encounter identifier), as
    /// transaction bundles and several generators write them: two patients' visits must not share
    /// a claim identifier (the second was dropped as a duplicate of the first, issue 19).
    @Test func resourcesWithoutAnIDAreNamedByTheirFullURL() throws {
        func anonymous(_ prefix: String) throws -> Data {
            let data = try Self.edited { json in
                json["entry"] = (json["entry"] as! [[String: Any]]).map { entry in
                    var entry = entry
                    var resource = entry["resource"] as! [String: Any]
                    resource["id"] = nil
                    if resource["resourceType"] as? String == "Encounter" { resource["identifier"] = nil }
                    entry["resource"] = resource
                    return entry
                }
            }
            return Data(String(decoding: data, as: UTF8.self).replacingOccurrences(of: "3f7a2c10", with: prefix).utf8)
        }
        let reader = IntakeReader(chargemaster: try Self.chargemaster())
        let first = try reader.read(try anonymous("3f7a2c10"))
        let second = try reader.read(try anonymous("4e8b3d21"))
        #expect(
            first.map(\.position) == [
                "#urn:uuid:3f7a2c10-5b6e-4d8f-9a21-7c4e0b9d1a05", "#urn:uuid:3f7a2c10-5b6e-4d8f-9a21-7c4e0b9d1a06",
            ])
        let claims = try (first + second).map { try $0.result.get() }
        #expect(claims[0].claim.identifier.value == "urn:uuid:3f7a2c10-5b6e-4d8f-9a21-7c4e0b9d1a05")
        #expect(Set(claims.map(\.intakeKey)).count == 4)
        #expect(Set(claims.map(\.claim.identifier.value)).count == 4)
        // The references still resolve: the same diagnoses and services as with ids.
        #expect(claims[0].claim.diagnoses.map(\.code) == ["J20.9"])
        #expect(claims[0].claim.lines.map(\.service.code) == ["99213", "71046"])
    }

    /// A clinical bundle that also carries the EHR's own Claims and ExplanationOfBenefits (as
    /// Synthea's do) is read as a clinical bundle; those resources are ignored with a note.
    @Test func theEHRsOwnClaimsInAClinicalBundleAreIgnoredWithANote() throws {
        let data = try Self.edited { json in
            var entries = json["entry"] as! [[String: Any]]
            for index in 0..<3 {
                entries.append([
                    "fullUrl": "urn:uuid:c-\(index)", "resource": ["resourceType": "Claim", "id": "c\(index)"],
                ])
                entries.append([
                    "fullUrl": "urn:uuid:e-\(index)",
                    "resource": ["resourceType": "ExplanationOfBenefit", "id": "e\(index)"],
                ])
            }
            json["entry"] = entries
        }
        let entries = try IntakeReader(chargemaster: try Self.chargemaster()).read(data)
        #expect(entries.count == 2)
        let claim = try entries[0].result.get().claim
        #expect(claim.identifier.value == "ENC-EHR-3001")
        #expect(
            claim.findings.contains {
                $0.severity == .warning
                    && $0.message.hasPrefix("the bundle's own 6 Claim and ExplanationOfBenefit resources are ignored")
            })
    }

    /// Every reason an encounter cannot be billed is reported at once, not only the first.
    @Test func everyReasonAnEncounterCannotBeBilledIsReportedAtOnce() throws {
        let data = try Self.edited { json in
            json["entry"] = (json["entry"] as! [[String: Any]]).filter {
                ($0["resource"] as! [String: Any])["resourceType"] as? String != "Coverage"
            }
        }
        let nothingPriced = try Chargemaster(
            csv: "system,code,description,unit_price,currency\ncpt,99999,Other,10.00,INR\n")
        let entries = try IntakeReader(chargemaster: nothingPriced).read(data)
        do {
            _ = try entries[0].result.get()
            Issue.record("an encounter without coverage and with nothing priced was billed")
        } catch let error as ClaimIntakeError {
            let errors = error.findings.filter { $0.severity == .error }.map(\.message)
            #expect(errors.contains("the bundle has no Coverage: the payer and member id are needed to bill"))
            #expect(errors.contains("nothing billable: no service of this encounter is in the chargemaster"))
        }
    }
}
