import Foundation
import Logging
import RCMCore
import RevenueCycle
import TestSupport
import Testing
import X12

@testable import HCXSandbox
@testable import RCMServer
@testable import rcm

/// The X12 inbox the workers watch, and `rcm x12 import`: files are read whole, moved to
/// `processed/` or to `refused/` with their reason; a half-written (hidden) file is left alone;
/// the same remittance twice posts once; a refused file makes the command exit 1.
@Suite(.serialized) struct X12InboxTests {
    @Test(arguments: TestDatabase.available)
    func theWatcherImportsWhatArrivesAndSetsAsideWhatItCannotRead(_ kind: TestDatabase) async throws {
        try await RemittancePostingTests().withSubmittedClaims(kind) { services, ids, folder in
            let watcher = try #require(try services.x12InboxWatcher())
            let inbox = watcher.inbox
            try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
            try Data(try X12TestFiles.remittance(RemittancePostingTests.firstCheck).utf8).write(
                to: inbox.appendingPathComponent("835-EFT-1.x12"))
            try Data("ISA*00*truncated~".utf8).write(to: inbox.appendingPathComponent("broken.x12"))
            try Data("half".utf8).write(to: inbox.appendingPathComponent(".835-in-transfer.x12.tmp"))

            let result = try await watcher.importWaiting()
            #expect(result.imported == ["835-EFT-1.x12"])
            #expect(result.refused == ["broken.x12"])
            let files = FileManager.default
            #expect(files.fileExists(atPath: inbox.appendingPathComponent("processed/835-EFT-1.x12").path))
            let reason = try String(
                contentsOf: inbox.appendingPathComponent("refused/broken.x12.error.txt"), encoding: .utf8)
            #expect(reason.hasPrefix("segment 1: "), "\(reason)")
            #expect(files.fileExists(atPath: inbox.appendingPathComponent(".835-in-transfer.x12.tmp").path))
            #expect(try files.contentsOfDirectory(atPath: inbox.appendingPathComponent("processing").path).isEmpty)
            #expect(try await services.claims.claim(ids[0]).outcome == .partiallyPaid)
            #expect(try await services.claims.claim(ids[1]).outcome == .denied)

            // The same file again (a clearinghouse that re-sends): read, nothing posted twice.
            try Data(try X12TestFiles.remittance(RemittancePostingTests.firstCheck).utf8).write(
                to: inbox.appendingPathComponent("835-EFT-1.x12"))
            #expect(try await watcher.importWaiting().imported == ["835-EFT-1.x12"])
            #expect(try await services.ledger.payments(for: ids[0]).count == 1)
            let audited = try await services.audit.entries(action: "x12.import")
            #expect(audited.count == 2 && audited.allSatisfy { $0.actor == "system:x12-inbox" })
            _ = folder
        }
    }

    @Test func rcmX12ImportPostsOnceAndRefusesABadFileWithExitStatusOne() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            let environment = [
                "DATABASE_URL": try #require(CommandLineTests.databaseURL(configuration)), "USER": "ops",
            ]
            #expect(try await CommandLineTests.run(["migrate", "--yes"], environment: environment).status == 0)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "rcm-x12cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let remittance = folder.appendingPathComponent("eft-1.835")
            try Data(try X12TestFiles.remittance(RemittancePostingTests.firstCheck).utf8).write(to: remittance)
            let unbalanced = folder.appendingPathComponent("bad.835")
            try Data(
                try X12TestFiles.remittance(
                    RemittancePostingTests.firstCheck.replacingOccurrences(of: "BPR*I*180.00", with: "BPR*I*181.00")
                ).utf8
            ).write(to: unbalanced)

            let first = try await CommandLineTests.run(["x12", "import", remittance.path], environment: environment)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("835 trace EFT-1 from AETNA, paid 180.00, 2 claim(s)"), "\(first.stdout)")
            // No claim of this database: the payments wait in the unmatched queue.
            #expect(
                first.stdout.contains("SFP-1001  CLP02 1  paid 100  matched no claim: in the unmatched payments queue"))
            #expect(first.stdout.contains("provider adjustment (PLB) L6 INT1 -80: kept with the remittance"))

            let again = try await CommandLineTests.run(
                ["x12", "import", remittance.path, unbalanced.path], environment: environment)
            #expect(again.status == 1)
            #expect(again.stdout.contains("835 trace EFT-1 from AETNA, paid 180.00: already posted, nothing changed"))
            #expect(again.stdout.contains("bad.835: refused: segment "), "\(again.stdout)")
        }
    }

    /// The sandbox's clearinghouse answers an interchange once: the same 837P dropped again (RCM
    /// re-sending with the same numbers after a crash) is set aside, never paid twice.
    @Test func theSandboxClearinghouseAnswersAnInterchangeOnce() async throws {
        try await X12SubmissionTests().withX12Payer(.sqlite) { services, outbox in
            let (_, started) = try await X12SubmissionTests().run(
                X12SubmissionTests.bundle(identifier: "SFP-4001"), services)
            #expect(started.status == .inProgress)
            let sandbox = try await SandboxHarness.startSandbox(rules: .default, databasePath: nil)
            let inbox = outbox.deletingLastPathComponent().appendingPathComponent("sandbox-answers")
            let clearinghouse = SandboxClearinghouse(
                rules: .default, store: sandbox.store, outbox: outbox, inbox: inbox, logger: Logger(label: "test"))
            do {
                #expect(try await clearinghouse.processOutbox() == 1)
                let taken = outbox.appendingPathComponent("taken")
                let claimFile = try #require(
                    try FileManager.default.contentsOfDirectory(atPath: taken.path).first { $0.hasPrefix("837P-") })
                try FileManager.default.copyItem(
                    at: taken.appendingPathComponent(claimFile), to: outbox.appendingPathComponent(claimFile))
                #expect(try await clearinghouse.processOutbox() == 0)
                let answers = try FileManager.default.contentsOfDirectory(atPath: inbox.path)
                #expect(answers.filter { $0.hasPrefix("835-") }.count == 1, "\(answers)")
            } catch {
                await sandbox.shutdown()
                throw error
            }
            await sandbox.shutdown()
        }
    }
}
