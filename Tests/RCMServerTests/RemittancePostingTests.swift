import FHIR
import Foundation
import RCMCore
import RevenueCycle
import SQLKit
import TestSupport
import Testing
import Workflow
import X12

@testable import RCMServer
@testable import rcm

/// 835 remittances and 999 acknowledgments posted to claims RCM sent as 837P files: written here
/// to cover what open-source posting is known to get wrong (../shared/docs/reference/x12.md):
/// several CARCs under one CAS group, a line paid without its billed modifier, a zero-paid denial,
/// a reversal and its correction, provider-level adjustments, the same file twice, a check that
/// does not balance, and a rejecting 999.
@Suite(.serialized) struct RemittancePostingTests {
    /// Check EFT-1 of 180.00: SFP-1001 (billed 160.00: 99213-25 at 125.00, J3490 × 2 at 35.00)
    /// paid 100.00 — its 99213 line returned without modifier 25, with CO-45 and CO-253 in one CAS
    /// and PR-2; J3490 with PR-1 and CO-45 — and SFP-1002 denied with nothing paid (CO-96), and a
    /// PLB paying 80.00 of interest (L6, negative: added to the check).
    static let firstCheck = """
        BPR*I*180.00*C*ACH*CCP*01*999999992*DA*123456*1512345678**01*999988880*DA*98765*20261205~
        TRN*1*EFT-1*1512345678~
        DTM*405*20261205~
        N1*PR*AETNA~
        N3*1 PAYER WAY~
        N4*HARTFORD*CT*06156~
        PER*BL*PROVIDER SERVICES*TE*8005550100~
        N1*PE*SPRINGFIELD FAMILY PRACTICE*XX*1234567893~
        LX*1~
        CLP*SFP-1001*1*160.00*100.00*20.00*12*PAYERCLM1*11*1~
        NM1*QC*1*DOE*JANE****MI*W123456789~
        SVC*HC:99213*125.00*80.00**1*HC:99213:25~
        DTM*472*20261120~
        CAS*CO*45*30.00**253*5.00~
        CAS*PR*2*10.00~
        SVC*HC:J3490*35.00*20.00**2~
        DTM*472*20261120~
        CAS*PR*1*10.00~
        CAS*CO*45*5.00~
        CLP*SFP-1002*4*160.00*0*0*12*PAYERCLM2*11*1~
        NM1*QC*1*DOE*JANE****MI*W123456789~
        SVC*HC:99213:25*125.00*0**1~
        CAS*CO*96*125.00~
        SVC*HC:J3490*35.00*0**2~
        CAS*CO*96*35.00~
        PLB*1234567893*20261231*L6:INT1*-80.00~
        """

    /// Check EFT-2 of 10.00: SFP-1001's payment of 100.00 reversed (status 22) and paid again
    /// corrected at 110.00.
    static let secondCheck = """
        BPR*I*10.00*C*ACH*CCP*01*999999992*DA*123456*1512345678**01*999988880*DA*98765*20261212~
        TRN*1*EFT-2*1512345678~
        N1*PR*AETNA~
        PER*BL*PROVIDER SERVICES*TE*8005550100~
        N1*PE*SPRINGFIELD FAMILY PRACTICE*XX*1234567893~
        LX*1~
        CLP*SFP-1001*22*-160.00*-100.00*-20.00*12*PAYERCLM1*11*1~
        CAS*CO*45*-40.00~
        CAS*PR*2*-20.00~
        CLP*SFP-1001*1*160.00*110.00*20.00*12*PAYERCLM1B*11*1~
        SVC*HC:99213:25*125.00*90.00**1~
        CAS*CO*45*25.00~
        CAS*PR*2*10.00~
        SVC*HC:J3490*35.00*20.00**2~
        CAS*PR*1*10.00~
        CAS*CO*45*5.00~
        """

    func withSubmittedClaims(
        _ kind: TestDatabase, _ body: (ClaimServices, [ClaimID], URL) async throws -> Void
    ) async throws {
        let submissions = X12SubmissionTests()
        try await submissions.withX12Payer(kind) { services, outbox in
            var ids: [ClaimID] = []
            for identifier in ["SFP-1001", "SFP-1002"] {
                let (id, run) = try await submissions.run(X12SubmissionTests.bundle(identifier: identifier), services)
                #expect(run.status == .inProgress, "\(run.lastError ?? "")")
                ids.append(id)
            }
            let folder = outbox.deletingLastPathComponent()
            try await body(services, ids, folder)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRemittanceIsPostedOnceWithEveryAdjustmentAndItsReversalAndCorrection(_ kind: TestDatabase) async throws {
        try await withSubmittedClaims(kind) { services, ids, folder in
            let file = try X12TestFiles.remittance(Self.firstCheck)
            if X12Validator.executable != nil {
                let path = folder.appendingPathComponent("eft-1.835")
                try Data(file.utf8).write(to: path)
                let result = try await X12Validator.validate(path)
                #expect(result.valid, "\(result.output)")
            }
            let report = try await services.remittances.importFile(file, name: "eft-1.835")
            #expect(report.remittances.count == 1)
            let posted = report.remittances[0]
            #expect(!posted.alreadyPosted && posted.claims.map(\.claimID) == ids)
            #expect(posted.providerAdjustments.map(\.reason) == ["L6"])

            // SFP-1001: paid 100.00 of 160.00; the 99213 line matched although the payer dropped
            // modifier 25; every CARC of a CAS kept; the patient's share apart.
            let paid = try await services.claims.claimWithLineReasons(ids[0])
            #expect(paid.0.outcome == .partiallyPaid)
            #expect(paid.0.approvedTotal == (try Money(100, .usd)))
            #expect(paid.1 == [["CO-45", "CO-253", "PR-2"], ["PR-1", "CO-45"]])
            #expect(try await services.ledger.payments(for: ids[0]).map(\.amount.amount) == [100])

            // SFP-1002: a denial with nothing paid, in the denial queue by its CARC — not a write-off.
            let denied = try await services.claims.claim(ids[1])
            #expect(denied.outcome == .denied)
            #expect(try await services.ledger.payments(for: ids[1]).isEmpty)
            let queue = try await services.denials.cases()
            #expect(queue.map(\.claimID) == [ids[1]])
            #expect(queue.map(\.category) == [.nonCovered])

            // The PLB is kept with the remittance, not on any claim; every CAS triplet is kept.
            let sql = try #require(services.claims as? FluentClaimRepository).database.sql
            let remittance = try #require(
                try await sql.raw("SELECT provider_adjustments, payment_amount FROM x12_remittances").first())
            #expect(try remittance.decode(column: "payment_amount", as: String.self) == "180")
            #expect(
                try remittance.decode(column: "provider_adjustments", as: String.self).contains("\"reason\":\"L6\""))
            let kept = try await sql.raw(
                "SELECT adjustments FROM x12_remittance_claims WHERE patient_control_number = 'SFP-1001'"
            ).all().map { try $0.decode(column: "adjustments", as: String.self) }
            #expect(kept.count == 1 && kept[0].contains("\"reason\":\"253\"") && kept[0].contains("\"line\":1"))

            // The same file again posts nothing.
            let again = try await services.remittances.importFile(file, name: "eft-1-again.835")
            #expect(again.remittances.map(\.alreadyPosted) == [true])
            #expect(try await services.ledger.payments(for: ids[0]).count == 1)

            // A reversal and its correction: 100.00 back, 110.00 paid; the claim says so.
            let second = try await services.remittances.importFile(
                try X12TestFiles.remittance(Self.secondCheck, controlNumber: 102), name: "eft-2.835")
            #expect(second.remittances[0].claims.map(\.status) == ["22", "1"])
            #expect(try await services.ledger.payments(for: ids[0]).map(\.amount.amount) == [100, -100, 110])
            let corrected = try await services.claims.claim(ids[0])
            #expect(corrected.outcome == .partiallyPaid)
            #expect(corrected.approvedTotal == (try Money(110, .usd)))
            #expect(corrected.claim.findings.contains { $0.message.contains("reversed its payment") })
        }
    }

    @Test(arguments: TestDatabase.available)
    func aCheckThatDoesNotBalanceIsRefusedWholeAndA999RejectionStopsItsClaim(_ kind: TestDatabase) async throws {
        try await withSubmittedClaims(kind) { services, ids, _ in
            let unbalanced = Self.firstCheck.replacingOccurrences(of: "BPR*I*180.00", with: "BPR*I*181.00")
            await #expect {
                try await services.remittances.importFile(try X12TestFiles.remittance(unbalanced), name: "bad.835")
            } throws: { error in
                "\(error)".contains("181") && "\(error)".contains("180")
            }
            #expect(try await services.ledger.payments(for: ids[0]).isEmpty)
            #expect(try await services.claims.claim(ids[0]).outcome == .pending)

            // The clearinghouse rejects SFP-1002's interchange: the claim is stopped with the errors.
            let repository = try #require(services.claims as? FluentClaimRepository)
            let submitted = try await FluentX12SubmissionLog(database: repository.database)
                .submissions(patientControlNumber: "SFP-1002")
            let submission = try #require(submitted.first)
            let set = submission.transactionSetControlNumber
            let ack = """
                AK1*HC*\(submission.controlNumber)*005010X222A1~
                AK2*837*\(set)*005010X222A1~
                IK3*NM1*14*2010BA*8~
                IK4*9*67*7*W12~
                IK5*R*5~
                AK9*R*1*1*0~
                """
            let report = try await services.remittances.importFile(
                try X12TestFiles.acknowledgment(ack), name: "ack.999")
            #expect(report.acknowledgments.map(\.claimID) == [ids[1]])
            #expect(report.acknowledgments.map(\.accepted) == [false])
            let rejected = try await services.claims.claim(ids[1])
            #expect(rejected.outcome == .rejected)
            #expect(
                rejected.claim.findings.contains {
                    $0.field == "X12 999" && $0.message.contains("NM1 (segment 14 of the set, loop 2010BA)")
                })
            #expect(try await services.denials.cases().map(\.claimID) == [ids[1]])
        }
    }

    @Test(arguments: TestDatabase.available)
    func aFileRefusedForOneClaimPostsNothingAndALate999ChangesNothing(_ kind: TestDatabase) async throws {
        try await withSubmittedClaims(kind) { services, ids, _ in
            // SFP-1002 is paid an amount finer than a cent: the file is refused whole, naming the CLP,
            // and SFP-1001 before it in the same check is not posted either.
            let finer = Self.firstCheck
                .replacingOccurrences(of: "BPR*I*180.00", with: "BPR*I*180.005")
                .replacingOccurrences(of: "CLP*SFP-1002*4*160.00*0*0", with: "CLP*SFP-1002*1*160.00*0.005*0")
                .replacingOccurrences(
                    of: "SVC*HC:J3490*35.00*0**2~\nCAS*CO*96*35.00",
                    with: "SVC*HC:J3490*35.00*0.005**2~\nCAS*CO*96*34.995")
            #expect(finer.contains("0.005*0*12") && finer.contains("34.995"))
            await #expect {
                try await services.remittances.importFile(try X12TestFiles.remittance(finer), name: "finer.835")
            } throws: { error in
                error is X12Error && "\(error)".contains("CLP SFP-1002")
            }
            #expect(try await services.ledger.payments(for: ids[0]).isEmpty)
            #expect(try await services.claims.claim(ids[0]).outcome == .pending)
            let repository = try #require(services.claims as? FluentClaimRepository)
            #expect(
                try await FluentX12RemittanceLog(database: repository.database).isPosted(
                    payerKey: "1512345678", traceNumber: "EFT-1") == false)

            // A check in another currency than the claims' is refused too.
            let euros = Self.firstCheck.replacingOccurrences(
                of: "TRN*1*EFT-1*1512345678~", with: "TRN*1*EFT-1*1512345678~\nCUR*PR*EUR~")
            await #expect {
                try await services.remittances.importFile(try X12TestFiles.remittance(euros), name: "euros.835")
            } throws: { error in
                "\(error)".contains("paid in EUR (CUR), its claim billed in USD")
            }

            // The real check posts; a 999 rejecting SFP-1001's interchange afterwards changes nothing.
            _ = try await services.remittances.importFile(
                try X12TestFiles.remittance(Self.firstCheck), name: "eft-1.835")
            #expect(try await services.claims.claim(ids[0]).outcome == .partiallyPaid)
            let submission = try #require(
                try await FluentX12SubmissionLog(database: repository.database)
                    .submissions(patientControlNumber: "SFP-1001").first)
            let late = """
                AK1*HC*\(submission.controlNumber)*005010X222A1~
                AK2*837*\(submission.transactionSetControlNumber)*005010X222A1~
                IK5*R*5~
                AK9*R*1*1*0~
                """
            _ = try await services.remittances.importFile(try X12TestFiles.acknowledgment(late), name: "late.999")
            let after = try await services.claims.claim(ids[0])
            #expect(after.outcome == .partiallyPaid)
            #expect(!after.claim.findings.contains { $0.field == "X12 999" })
        }
    }
}
