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
}
