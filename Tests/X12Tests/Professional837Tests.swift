import Foundation
import RCMCore
import TestSupport
import Testing

@testable import X12

/// The 837P RCM writes: its envelopes and counts read back by RCM's own strict reader, and the
/// whole file validated by an independent implementation of the guide (pyx12's `x12valid`
/// against 005010X222A1, in CI).
@Suite struct Professional837Tests {
    static func date(_ text: String) -> ServiceDate { try! ServiceDate(iso8601: text) }
    static func usd(_ text: String) -> Money { try! Money(Decimal(string: text)!, CurrencyCode("USD")) }

    static let address = Professional837.Address(
        line1: "100 Main Street", city: "Springfield", state: "IL", postalCode: "62701")
    static let subscriber = Professional837.Person(
        lastName: "DOE", firstName: "JANE", birthDate: date("1980-02-14"), gender: "F", address: address)
    static let child = Professional837.Person(
        lastName: "DOE", firstName: "SAM", birthDate: date("2015-06-01"), gender: "M", address: address)

    /// Two claims of one billing provider: the subscriber's own visit with 12 diagnoses and
    /// modifiers, and her child's (a patient who is not the subscriber) with an unclassified drug
    /// and its narrative.
    static func transaction() -> Professional837 {
        let twelve = ["E119", "I10", "J209", "J0190", "M545", "R05", "R509", "Z0000", "K219", "E785", "F419", "G4700"]
        return Professional837(
            submitter: .init(
                name: "SUNRISE CLINIC", id: "SUB12345", contactName: "BILLING OFFICE", phone: "2175550100"),
            receiverName: "DEMO CLEARINGHOUSE", receiverID: "CH99999",
            billingProvider: .init(
                name: "SUNRISE CLINIC", npi: "1234567893", employerID: "371234567", address: address),
            claims: [
                .init(
                    patientControlNumber: "RCM7F3A9C21", subscriber: subscriber, memberID: "MEM55012",
                    payerName: "DEMO HEALTH PLAN", payerID: "DEMO1", placeOfService: "11", diagnoses: twelve,
                    lines: [
                        .init(
                            code: "99214", modifiers: ["25"], charge: usd("150.00"), units: 1,
                            diagnosisPointers: [1, 2, 3, 4], serviceDate: date("2026-11-20")),
                        .init(
                            code: "G0008", charge: usd("35.50"), units: 1, diagnosisPointers: [12],
                            serviceDate: date("2026-11-20")),
                        .init(
                            code: "97110", modifiers: ["GP", "KX", "59", "RT"], charge: usd("64.25"), units: 3,
                            diagnosisPointers: [5], serviceDate: date("2026-11-21")),
                    ]),
                .init(
                    patientControlNumber: "RCM0B44E2D9", subscriber: subscriber, memberID: "MEM55012",
                    payerName: "DEMO HEALTH PLAN", payerID: "DEMO1", patient: child, patientRelationship: "19",
                    placeOfService: "11", diagnoses: ["J069"],
                    lines: [
                        .init(
                            code: "99213", charge: usd("95.00"), units: 1, diagnosisPointers: [1],
                            serviceDate: date("2026-11-22")),
                        .init(
                            code: "J3490", narrative: "CEFTRIAXONE 1 G IM", charge: usd("42.10"), units: 1,
                            diagnosisPointers: [1], serviceDate: date("2026-11-22")),
                    ]),
            ])
    }

    static func interchange() throws -> String {
        let transaction = transaction()
        return try X12Writer(sender: .init(id: "SUB12345"), receiver: .init(id: "CH99999"), usage: "T").interchange(
            functionalID: "HC", version: "005010X222A1", interchangeControlNumber: 42, groupControlNumber: 42,
            sets: [
                (
                    "837", "0001",
                    try transaction.segments(reference: "0001", created: ("20261206", "0930"))
                )
            ], date: Date(timeIntervalSince1970: 1_796_549_400), timeZone: TimeZone(identifier: "America/Chicago")!)
    }

    @Test func envelopesCountersAndTotalsAreExact() throws {
        let text = try Self.interchange()
        let interchange = try X12Interchange(text: text)
        #expect(text.hasPrefix("ISA*00*          *00*          *ZZ*SUB12345       *ZZ*CH99999        *"))
        #expect(text.split(separator: "\n").first?.count == 106)
        #expect(interchange.controlNumber == "000000042")
        #expect(interchange.senderID == "SUB12345")
        let set = try #require(interchange.groups.first?.transactionSets.first)
        #expect(set.code == "837")
        // HL: 1 the billing provider; 2 the first subscriber; 3 the second subscriber, 4 her child.
        let hl = set.segments.filter { $0.id == "HL" }.map { [$0[1], $0[2], $0[3], $0[4]] }
        #expect(hl == [["1", "", "20", "1"], ["2", "1", "22", "0"], ["3", "1", "22", "1"], ["4", "3", "23", "0"]])
        // CLM02 = Σ SV102 per claim, exactly.
        var totals: [String] = []
        var sums: [Decimal] = []
        for segment in set.segments {
            if segment.id == "CLM" {
                totals.append(segment[2])
                sums.append(0)
            }
            if segment.id == "SV1" { sums[sums.count - 1] += Decimal(string: segment[2])! }
        }
        #expect(totals == ["249.75", "137.10"])
        #expect(sums.map { "\($0)" } == ["249.75", "137.1"])
        let hi = try #require(set.segments.first { $0.id == "HI" })
        #expect(hi.elements.count == 12)
        #expect(hi.components(1) == ["ABK", "E119"] && hi.components(12) == ["ABF", "G4700"])
        let lines = set.segments.filter { $0.id == "SV1" }
        #expect(lines[2].components(1) == ["HC", "97110", "GP", "KX", "59", "RT"])
        #expect(lines[2].components(7) == ["5"])
        #expect(lines[4].components(1) == ["HC", "J3490", "", "", "", "", "CEFTRIAXONE 1 G IM"])
        #expect(text.contains("SBR*P*18*******CI~") && text.contains("SBR*P********CI~"))
        #expect(text.contains("PAT*19~") && text.contains("NM1*QC*1*DOE*SAM~"))
    }

    @Test(.enabled(if: X12Validator.executable != nil, "RCM_X12VALID names pyx12's x12valid (CI sets it)"))
    func pyx12ValidatesWhatRCMWrites() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("x12-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("claims.837")
        let text = try Self.interchange()
        try Data(text.utf8).write(to: file)
        let result = try await X12Validator.validate(file)
        #expect(result.valid, "\(result.output)")
        // The validator does catch what is wrong: the same file with its SE count off by one.
        let broken = folder.appendingPathComponent("broken.837")
        try Data(text.replacingOccurrences(of: "SE*47*0001~", with: "SE*46*0001~").utf8).write(to: broken)
        #expect(text.contains("SE*47*0001~"))
        #expect(try await X12Validator.validate(broken).valid == false)
    }

    @Test func badInputIsRefusedNamingTheClaim() throws {
        var claims = Self.transaction().claims
        let first = claims[0]
        claims[0] = .init(
            patientControlNumber: first.patientControlNumber, subscriber: first.subscriber, memberID: first.memberID,
            payerName: first.payerName, payerID: first.payerID, placeOfService: "11",
            diagnoses: first.diagnoses + ["Z23"], lines: first.lines)
        let transaction = Self.transaction()
        let tooMany = Professional837(
            submitter: transaction.submitter, receiverName: "R", receiverID: "R1",
            billingProvider: transaction.billingProvider, claims: claims)
        #expect(throws: X12Error(segment: 0, "claim RCM7F3A9C21 has 13 diagnoses; an 837P carries 1 to 12")) {
            try tooMany.segments(reference: "1", created: ("20261206", "0930"))
        }
    }
}
