import Foundation
import RCMCore
import RevenueCycle
import Testing

@testable import RCMServer
@testable import rcm

/// `rcm process samples/` with the samples' payer set to X12: through the embedded sandbox's
/// clearinghouse (270/271, 837P, 999, 835 on folders) every claim reaches the outcome and amounts
/// it reaches over HCX, each run on a fresh database and sandbox.
@Suite(.serialized) struct X12EndToEndTests {
    /// Per claim identifier: outcome, approved and paid amounts.
    typealias Results = [String: String]

    func processSamples(_ kind: TestDatabase, overX12: Bool) async throws -> Results {
        try await kind.withFreshDatabase { base in
            var configuration = base
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
                "rcm-x12e2e-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            if overX12 {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let settings = folder.appendingPathComponent("settings.json")
                try Data(
                    X12SubmissionTests.settings.replacingOccurrences(
                        of: "OUTBOX", with: folder.appendingPathComponent("outbox").path
                    ).replacingOccurrences(of: "INBOX", with: folder.appendingPathComponent("inbox").path).utf8
                ).write(to: settings)
                configuration.x12SettingsPath = settings.path
            }
            return try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                if overX12 {
                    try await FluentPayerDirectory(database: app.db).save(
                        PayerConfiguration(
                            payer: "DEMO-HEALTH-INSURANCE", name: nil, timelyFilingDays: nil,
                            transport: .x12(
                                try PayerTransport.X12Receiver(
                                    receiverID: "DEMOCLEAR", receiverName: "Demo clearinghouse", payerID: "DEMO01"))))
                }
                let report = try await ClaimRuntime.run(
                    app: app, configuration: configuration, sandboxRules: .default
                ) { runtime in
                    try await runtime.services.processor.process(
                        ClaimInputReader.read([Samples.own("").path]),
                        waitSeconds: configuration.adjudicationTimeoutSeconds,
                        chargemaster: try ChargemasterFile.load(Samples.own("chargemaster.csv").path, fallback: nil),
                        concurrency: 8)
                }
                #expect(report.errors.isEmpty)
                var results: Results = [:]
                for claim in report.claims {
                    results[claim.identifier] =
                        "\(claim.outcome.rawValue) approved \(claim.approved?.description ?? "-") "
                        + "paid \(claim.paid?.description ?? "-")"
                }
                if overX12 {
                    // Every X12 file came back and was read: none refused, none left waiting.
                    let inbox = folder.appendingPathComponent("inbox")
                    #expect(
                        try FileManager.default.contentsOfDirectory(
                            atPath: inbox.appendingPathComponent("refused").path
                        ).isEmpty)
                    #expect(
                        try FileManager.default.contentsOfDirectory(atPath: inbox.path).filter {
                            $0.hasSuffix(".x12")
                        }.isEmpty)
                }
                return results
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func theSamplesReachTheSameOutcomesAndAmountsOverX12AsOverHCX(_ kind: TestDatabase) async throws {
        let overHCX = try await processSamples(kind, overX12: false)
        let overX12 = try await processSamples(kind, overX12: true)
        #expect(overHCX.count == 10)
        #expect(overX12 == overHCX)
    }
}
