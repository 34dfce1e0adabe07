import Foundation
import TestSupport
import Testing

@testable import X12

/// 835 remittances read into claims, adjustments, lines and provider-level adjustments, with the
/// guide's balancing enforced; the files are written here to cover what open-source readers are
/// known to get wrong (../shared/docs/reference/x12.md), and validated by pyx12 in CI.
@Suite struct Remittance835Tests {
    /// A check of 193.00: claim RCM7F3A9C21 paid 195.50 of 249.75 (a line paid without its billed
    /// modifier, one with modifiers reordered, PR-1 and PR-2 in one CAS), claim RCM0B44E2D9 denied
    /// with nothing paid (CO-96), claim RCM55AA0001's earlier payment reversed (status 22) and paid
    /// again corrected, and a PLB: a 15.00 overpayment recovered (WO) and 2.50 interest paid (L6).
    static let body = """
        BPR*I*193.00*C*ACH*CCP*01*999999992*DA*123456*1512345678**01*999988880*DA*98765*20261205~
        TRN*1*EFT20261205001*1512345678~
        DTM*405*20261205~
        N1*PR*DEMO HEALTH PLAN~
        N3*1 PAYER WAY~
        N4*CHICAGO*IL*60601~
        PER*BL*PROVIDER SERVICES*TE*8005550100~
        N1*PE*SUNRISE CLINIC*XX*1234567893~
        REF*TJ*371234567~
        LX*1~
        CLP*RCM7F3A9C21*1*249.75*195.50*20.00*12*PAYER0001*11*1~
        NM1*QC*1*DOE*JANE****MI*MEM55012~
        SVC*HC:99214*150.00*110.00**1*HC:99214:25~
        DTM*472*20261120~
        CAS*CO*45*20.00~
        CAS*PR*1*15.00**2*5.00~
        AMT*B6*130.00~
        SVC*HC:G0008*35.50*35.50**1~
        DTM*472*20261120~
        SVC*HC:97110:KX:GP:59:RT*64.25*50.00**3*HC:97110:GP:KX:59:RT~
        DTM*472*20261121~
        CAS*CO*45*14.25~
        CLP*RCM0B44E2D9*4*137.10*0*0*12*PAYER0002*11*1~
        CAS*CO*96*137.10~
        NM1*QC*1*DOE*SAM****MI*MEM55012~
        CLP*RCM55AA0001*22*-100.00*-80.00**12*PAYER0003*11*1~
        CAS*CO*45*-20.00~
        NM1*QC*1*ROE*RICHARD****MI*MEM77001~
        CLP*RCM55AA0001*1*100.00*90.00**12*PAYER0003B*11*1~
        CAS*CO*45*10.00~
        NM1*QC*1*ROE*RICHARD****MI*MEM77001~
        PLB*1234567893*20261231*WO:OVERPAY123*15.00*L6*-2.50~
        """

    static func interchange(_ body: String = body) throws -> String {
        try X12TestFiles.remittance(body)
    }

    static func read(_ body: String) throws -> Remittance835 {
        try Remittance835(try X12Interchange(text: try interchange(body)).groups[0].transactionSets[0])
    }

    @Test func claimsAdjustmentsLinesAndProviderAdjustmentsAreRead() throws {
        let remittance = try Self.read(Self.body)
        #expect(remittance.traceNumber == "EFT20261205001")
        #expect(remittance.paymentAmount == Decimal(string: "193.00"))
        #expect(remittance.paymentMethod == "ACH" && remittance.paymentDate == "20261205")
        #expect(remittance.payerName == "DEMO HEALTH PLAN" && remittance.payeeID == "1234567893")
        #expect(
            remittance.claims.map(\.patientControlNumber) == [
                "RCM7F3A9C21", "RCM0B44E2D9", "RCM55AA0001", "RCM55AA0001",
            ])
        #expect(remittance.claims.map(\.status) == ["1", "4", "22", "1"])

        let paid = remittance.claims[0]
        #expect(paid.paid == Decimal(string: "195.50") && paid.patientResponsibility == 20)
        // Two CARCs under one CAS group are both kept.
        let first = paid.services[0]
        #expect(first.adjustments.map { "\($0.group)-\($0.reason) \($0.amount)" } == ["CO-45 20", "PR-1 15", "PR-2 5"])
        // Paid without its billed modifier: the line as billed is in SVC06.
        #expect(first.code == "99214" && first.modifiers.isEmpty)
        #expect(first.billedCode == "99214" && first.billedModifiers == ["25"])
        #expect(first.allowed == 130 && first.serviceDate == "20261120")
        #expect(paid.services[2].modifiers == ["KX", "GP", "59", "RT"])
        #expect(paid.services[2].billedModifiers == ["GP", "KX", "59", "RT"])
        #expect(paid.services[2].units == 3)

        // A zero-paid denial: status 4, nothing paid, its CARC kept.
        let denied = remittance.claims[1]
        #expect(denied.paid == 0 && denied.adjustments.map(\.reason) == ["96"] && denied.services.isEmpty)
        // A reversal and its correction.
        #expect(remittance.claims[2].paid == -80 && remittance.claims[2].adjustments.first?.amount == -20)
        #expect(remittance.claims[3].paid == 90)
        // Provider-level adjustments apart from every claim.
        #expect(
            remittance.providerAdjustments.map { "\($0.reason) \($0.reference ?? "-") \($0.amount)" } == [
                "WO OVERPAY123 15", "L6 - -2.5",
            ])
    }

    @Test func aCheckThatDoesNotBalanceIsRefusedWithTheDifference() throws {
        #expect(
            throws: X12Error(
                segment: 4, "the check does not balance: BPR02 200 ≠ Σ CLP04 205.5 − Σ PLB 12.5 = 193 (difference 7)")
        ) { try Self.read(Self.body.replacingOccurrences(of: "BPR*I*193.00*", with: "BPR*I*200.00*")) }
        #expect(
            throws: X12Error(
                segment: 16,
                "the line does not balance: SVC02 150 − adjustments 40 = 110, but SVC03 paid 111 (difference -1)")
        ) {
            try Self.read(
                Self.body.replacingOccurrences(of: "SVC*HC:99214*150.00*110.00*", with: "SVC*HC:99214*150.00*111.00*"))
        }
        #expect(
            throws: X12Error(segment: 18, "CAS01 'XX' is not a claim adjustment group code (CO, PR, OA, PI, CR)")
        ) { try Self.read(Self.body.replacingOccurrences(of: "CAS*CO*45*20.00~", with: "CAS*XX*45*20.00~")) }
        #expect(throws: X12Error(segment: 14, "unknown segment CLM in the 835's detail area")) {
            try Self.read(Self.body.replacingOccurrences(of: "CLP*RCM7F3A9C21*", with: "CLM*RCM7F3A9C21*"))
        }
    }

    @Test(.enabled(if: X12Validator.executable != nil, "RCM_X12VALID names pyx12's x12valid (CI sets it)"))
    func pyx12ValidatesTheRemittances() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("x12-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("remittance.835")
        try Data(try Self.interchange().utf8).write(to: file)
        let result = try await X12Validator.validate(file)
        #expect(result.valid, "\(result.output)")
    }
}
