import FHIR
import Foundation
import Glibc
import HCX
import RCMServer
import TestSupport
import Testing

/// The `rcm` binary as a user runs it (built by `swift test` next to the test bundle).
@Suite struct CommandLineTests {
    static var binary: URL {
        let testBundle = URL(fileURLWithPath: CommandLine.arguments[0])
        var folder = testBundle.deletingLastPathComponent()
        // xctest bundles are folders on some platforms: walk up to the build products folder.
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("rcm").path), folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("rcm")
    }

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs the `rcm` binary to its end (``TestSupport/ChildProcess``: off the cooperative threads).
    static func run(_ arguments: [String], environment: [String: String], input: Data? = nil) async throws -> Run {
        let finished = try await ChildProcess.run(
            binary, arguments: arguments,
            environment: environment.merging(["PATH": "/usr/bin:/bin"]) { first, _ in first }, input: input)
        return Run(
            status: finished.status, stdout: String(decoding: finished.stdout, as: UTF8.self),
            stderr: String(decoding: finished.stderr, as: UTF8.self))
    }

    @Test func aBadDatabaseURLEndsStartUpWithOneClearLine() async throws {
        let wrongScheme = try await Self.run(
            ["migrations"], environment: ["DATABASE_URL": "mysql://root:hunter2@db/rcm"])
        #expect(wrongScheme.status == 1)
        #expect(
            wrongScheme.stderr
                == "Error: DATABASE_URL: unsupported scheme 'mysql://' (use postgres://, postgresql://, sqlite:// or a file path)\n"
        )

        let unreachable = try await Self.run(
            ["migrate", "--yes"],
            environment: ["DATABASE_URL": "postgres://rcm:hunter2@127.0.0.1:1/rcm?sslmode=disable"])
        #expect(unreachable.status == 1)
        #expect(unreachable.stderr == "Error: cannot reach PostgreSQL at 127.0.0.1:1 (connection refused)\n")
        #expect(!unreachable.stderr.contains("hunter2"))
    }

    @Test(arguments: TestDatabase.available)
    func migrateMigrationsAndRevertAsAUserRunsThem(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            let url = try #require(Self.databaseURL(configuration))
            let database = ["DATABASE_URL": url]
            let target = configuration.database.description
            let refused = try await Self.run(["migrate"], environment: database)
            #expect(refused.status == 1)
            #expect(refused.stderr == "Error: refusing to change the database without --yes (no terminal to ask)\n")
            // Commands that read or change data refuse an unmigrated database in one line.
            for command in [["payers", "list"], ["claims", "list"], ["workflows", "list"], ["users", "list"]] {
                let unmigrated = try await Self.run(command, environment: database)
                #expect(unmigrated.status == 1, "\(command)")
                #expect(
                    unmigrated.stderr
                        == "Error: \(target) has \(RCMMigrations.names.count) pending migration(s); run `rcm migrate --yes` first\n",
                    "\(command)")
            }

            let applied = try await Self.run(["migrate", "--yes"], environment: database)
            #expect(applied.status == 0)
            #expect(
                applied.stdout
                    == "Applied 18 migration(s) to \(target): 0001_create_claims, 0002_create_workflow_tables, "
                    + "0003_create_hcx_messages, 0004_add_workflow_leases_and_logs, 0005_create_payments, "
                    + "0006_create_eligibility_checks, 0007_create_security_tables, 0008_create_denial_actions, "
                    + "0009_create_payer_configs, 0010_add_workflow_queue_index, 0011_add_claim_list_index, "
                    + "0012_create_console_sessions, 0013_create_analytics_summary, 0014_add_claim_lookup_indexes, "
                    + "0015_add_denial_queue_columns, 0016_add_payer_transport, 0017_create_x12_submissions, "
                    + "0018_create_x12_remittances\n")
            #expect(
                try await Self.run(["migrations"], environment: database).stdout
                    == """
                    Migrations on \(target):
                      0001_create_claims                 applied (batch 1)
                      0002_create_workflow_tables        applied (batch 1)
                      0003_create_hcx_messages           applied (batch 1)
                      0004_add_workflow_leases_and_logs  applied (batch 1)
                      0005_create_payments               applied (batch 1)
                      0006_create_eligibility_checks     applied (batch 1)
                      0007_create_security_tables        applied (batch 1)
                      0008_create_denial_actions         applied (batch 1)
                      0009_create_payer_configs          applied (batch 1)
                      0010_add_workflow_queue_index      applied (batch 1)
                      0011_add_claim_list_index          applied (batch 1)
                      0012_create_console_sessions       applied (batch 1)
                      0013_create_analytics_summary      applied (batch 1)
                      0014_add_claim_lookup_indexes      applied (batch 1)
                      0015_add_denial_queue_columns      applied (batch 1)
                      0016_add_payer_transport           applied (batch 1)
                      0017_create_x12_submissions        applied (batch 1)
                      0018_create_x12_remittances        applied (batch 1)

                    """)
            #expect(
                try await Self.run(["migrate", "--yes"], environment: database).stdout.hasSuffix(
                    "is up to date (18 migrations applied).\n"))
            #expect(
                try await Self.run(["denials", "reclassify"], environment: database).stdout
                    == "classified 0 denied and stopped claims\n")
            let reverted = try await Self.run(["migrate", "--revert", "--yes"], environment: database)
            #expect(reverted.stdout.hasPrefix("Reverted batch 1 on \(target)"))
            #expect(
                try await Self.run(["migrations"], environment: database).stdout.contains(
                    "0001_create_claims                 pending"))
        }
    }

    /// The `DATABASE_URL` text of a test configuration.
    static func databaseURL(_ configuration: RCMConfiguration) -> String? {
        switch configuration.database {
        case .sqlite(let path): "sqlite://\(path)"
        case .postgres(let location):
            "postgres://\(location.username):\(location.password ?? "")@\(location.host):\(location.port)/\(location.database)?sslmode=\(location.sslMode)"
        }
    }

    @Test func processPrintsTheSummaryOfTheOwnSamples() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rcm-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["DATABASE_URL": "sqlite://\(folder.path)/rcm.sqlite", "RCM_KEYS_DIR": "\(folder.path)/keys"]
        let run = try await Self.run(["process", "--json", Samples.own("").path], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        struct Report: Decodable {
            let byOutcome: [String: Int]
            let denialsByCategory: [String: Int]
            let denials: [Denial]
            struct Denial: Decodable {
                let identifier, category, nextAction: String
            }
            let totals: [Total]
            struct Total: Decodable {
                let currency: String
                let billed: Amount
                let approved: Amount
                let paid: Amount
            }
            struct Amount: Decodable {
                let amount: String
                let currency: String
            }
        }
        let report = try JSONDecoder().decode(Report.self, from: Data(run.stdout.utf8))
        #expect(report.byOutcome == ["paid": 4, "partially_paid": 3, "denied": 1, "rejected": 2])
        #expect(report.totals.map(\.billed.amount) == ["342873.50"])
        #expect(report.totals.map(\.approved.amount) == ["251853.00"])
        #expect(report.totals.map(\.paid.amount) == ["251853.00"])
        // The summary groups this run's denials by category, with next actions.
        #expect(report.denialsByCategory == ["coding": 1, "eligibility": 1, "non_covered": 1])
        #expect(report.denials.map(\.identifier) == ["CLM-2026-000103", "ENC-2026-000204", "ENC-2026-000205"])
        #expect(report.denials.map(\.nextAction) == ["correct_and_resubmit", "write_off", "correct_and_resubmit"])
        // The denied and rejected samples are in the denial work queue, largest first, with their next actions.
        let queue = try await Self.run(["denials", "list", "--json"], environment: environment)
        struct Entry: Decodable {
            let identifier, category, nextAction, atStake: String
        }
        let entries = try JSONDecoder().decode([Entry].self, from: Data(queue.stdout.utf8))
        #expect(entries.map(\.identifier) == ["CLM-2026-000103", "ENC-2026-000204", "ENC-2026-000205"])
        #expect(entries.map(\.category) == ["coding", "non_covered", "eligibility"])
        #expect(entries.map(\.nextAction) == ["correct_and_resubmit", "write_off", "correct_and_resubmit"])
        #expect(entries.map(\.atStake) == ["2073.00", "1426.50", "800.00"])
        // Keys were generated on first use, the private ones readable by the owner only.
        let attributes = try FileManager.default.attributesOfItem(atPath: "\(folder.path)/keys/provider.private.pem")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func processTakesItsRulesAndTimeoutFromOptions() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rcm-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["DATABASE_URL": "sqlite://\(folder.path)/rcm.sqlite", "RCM_KEYS_DIR": "\(folder.path)/keys"]
        let sample = Samples.own("claim-approved-outpatient-visit.json").path
        // A payer whose policy pays nothing per claim: the claim is denied.
        var rules =
            try JSONSerialization.jsonObject(
                with: try Data(contentsOf: Samples.repositoryRoot.appendingPathComponent("sandbox/rules.json")))
            as! [String: Any]
        rules["claim_limit"] = "0"
        let rulesFile = folder.appendingPathComponent("stingy.json")
        try JSONSerialization.data(withJSONObject: rules).write(to: rulesFile)
        let denied = try await Self.run(
            ["process", "--json", "--rules", rulesFile.path, "--timeout", "20", sample], environment: environment)
        #expect(denied.status == 0, "\(denied.stderr)")
        #expect(denied.stdout.contains(#""denied":1"#) || denied.stdout.contains(#""denied" : 1"#), "\(denied.stdout)")
        let missing = try await Self.run(
            ["process", "--rules", "/no/such/rules.json", sample], environment: environment)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/no/such/rules.json"))
        let zero = try await Self.run(["process", "--timeout", "0", sample], environment: environment)
        #expect(zero.status == 64)
        #expect(zero.stderr.contains("--timeout must be a number of seconds between 0 and 86400"))
        let badDay = try await Self.run(["process", "--as-of", "2026-02-30", sample], environment: environment)
        #expect(badDay.status == 64)
        #expect(badDay.stderr.contains("--as-of must be a calendar date YYYY-MM-DD, got '2026-02-30'"))
        let dateTime = try await Self.run(
            ["process", "--as-of", "2026-11-01T00:00:00Z", sample], environment: environment)
        #expect(dateTime.status == 64)
        #expect(dateTime.stderr.contains("--as-of must be a calendar date YYYY-MM-DD, got '2026-11-01T00:00:00Z'"))
    }

    @Test(.sharedSamples) func hcxEncryptThenDecryptRoundTripsASample() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rcm-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = KeyDirectory(path: folder.path)
        let certificate = folder.appendingPathComponent("payer.cert.pem").path
        _ = try keys.certificatePEM(named: "payer", participantCode: "payer@x")
        let sample = try Samples.shared("claim_request_bundle_v0.7.1_sdk.json")

        let encrypted = try await Self.run(
            [
                "hcx", "encrypt", "--cert", certificate, "--sender", "provider@x", "--recipient", "payer@x",
                "--correlation-id", "c-1", "--workflow-id", "w-1", sample.path,
            ], environment: [:])
        #expect(encrypted.status == 0, "\(encrypted.stderr)")
        #expect(encrypted.stdout.hasPrefix(#"{"payload":"ey"#))

        let decrypted = try await Self.run(
            ["hcx", "decrypt", "--key", folder.appendingPathComponent("payer.private.pem").path], environment: [:],
            input: Data(encrypted.stdout.utf8))
        #expect(decrypted.status == 0, "\(decrypted.stderr)")
        let output = try JSONDecoder().decode(JSONValue.self, from: Data(decrypted.stdout.utf8))
        #expect(output["payload"] == (try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: sample))))
        #expect(output["headers"]?["x-hcx-sender_code"] == .string("provider@x"))
        #expect(output["headers"]?["x-hcx-correlation_id"] == .string("c-1"))
        #expect(output["headers"]?["x-hcx-workflow_id"] == .string("w-1"))
        #expect(output["headers"]?["alg"] == .string("RSA-OAEP-256"))

        // The wrong key: one line with the protocol's error code.
        let otherKey = folder.appendingPathComponent("other.private.pem").path
        _ = try keys.privateKey(named: "other")
        let refused = try await Self.run(
            ["hcx", "decrypt", "--key", otherKey], environment: [:], input: Data(encrypted.stdout.utf8))
        #expect(refused.status == 1)
        #expect(
            refused.stderr == "Error: ERR_INVALID_ENCRYPTION: the encrypted key does not open with our private key\n")
    }

    @Test func writingCommandsWaitForNoOneOnALockedSQLiteFile() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rcm-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("rcm.sqlite").path
        let held = try SQLiteProcessLock(path: path)
        let environment = ["DATABASE_URL": path, "RCM_KEYS_DIR": folder.appendingPathComponent("keys").path]
        let message =
            "Error: SQLite file \(path) is in use by another rcm process; SQLite serves one process at a time "
            + "(use PostgreSQL to run several)\n"
        for arguments in [["migrate", "--yes"], ["migrate", "--revert", "--yes"], ["process", Samples.own("").path]] {
            let refused = try await Self.run(arguments, environment: environment)
            #expect(refused.status == 1, "\(arguments)")
            #expect(refused.stderr == message, "\(arguments)")
        }
        // Reading is allowed meanwhile.
        #expect(try await Self.run(["migrations"], environment: environment).status == 0)
        withExtendedLifetime(held) {}
    }

    /// A TCP port free at the moment of asking (bound to 0, read back, released).
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socket, generic, length) == 0 && getsockname(socket, generic, &length) == 0
            }
        }
        guard bound else { throw CocoaError(.fileNoSuchFile) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func rcmProcessRunsAgainstRcmSandboxInAnotherProcess() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rcm-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let gatewayPort = try Self.freePort()
        let callbackPort = try Self.freePort()
        let shared = [
            "RCM_KEYS_DIR": scratch.appendingPathComponent("keys").path, "HCX_USERNAME": "rcm",
            "HCX_SECRET": "cli-test-secret", "PATH": "/usr/bin:/bin",
        ]
        let sandbox = Process()
        sandbox.executableURL = Self.binary
        sandbox.arguments = [
            "sandbox", "--port", "\(gatewayPort)", "--state", "memory", "--provider-endpoint",
            "http://127.0.0.1:\(callbackPort)/v0.7",
        ]
        sandbox.environment = shared
        let output = Pipe()
        sandbox.standardOutput = output
        sandbox.standardError = FileHandle.nullDevice
        try sandbox.run()
        defer { if sandbox.isRunning { sandbox.terminate() } }
        // Wait for the line that says it listens.
        var banner = ""
        while !banner.contains("listening") {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            banner += String(decoding: chunk, as: UTF8.self)
        }
        #expect(banner.hasPrefix("HCX sandbox listening at http://127.0.0.1:\(gatewayPort)/v0.7"))

        let processed = try await Self.run(
            ["process", "--port", "\(callbackPort)", Samples.repositoryRoot.appendingPathComponent("samples").path],
            environment: shared.merging([
                "HCX_BASE_URL": "http://127.0.0.1:\(gatewayPort)/v0.7",
                "DATABASE_URL": "sqlite://\(scratch.path)/rcm.sqlite",
            ]) { $1 })
        #expect(processed.status == 0, "\(processed.stderr)")
        #expect(processed.stdout.contains("approved INR 251853.00"))

        sandbox.interrupt()
        sandbox.waitUntilExit()
        #expect(sandbox.terminationStatus == 0)
    }

    @Test func processExitsTwoWhenAClaimFailed() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rcm-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let key = try RSAPrivateKey.generate()
        try Data(key.pkcs8PEMRepresentation.utf8).write(to: folder.appendingPathComponent("provider.pem"))
        try Data(try key.selfSignedCertificatePEM(participantCode: "gateway").utf8).write(
            to: folder.appendingPathComponent("gateway.pem"))
        // A gateway nobody answers at: the claim's first HCX call fails, its workflow stops FAILED.
        let run = try await Self.run(
            [
                "process", "--port", "\(try Self.freePort())",
                Samples.own("claim-approved-outpatient-visit.json").path,
            ],
            environment: [
                "DATABASE_URL": "sqlite://\(folder.path)/rcm.sqlite", "RCM_KEYS_DIR": "\(folder.path)/keys",
                "HCX_BASE_URL": "http://127.0.0.1:9/v0.7", "HCX_USERNAME": "rcm", "HCX_SECRET": "x",
                "HCX_GATEWAY_CERT": "\(folder.path)/gateway.pem", "HCX_PRIVATE_KEY": "\(folder.path)/provider.pem",
                "RCM_ADJUDICATION_TIMEOUT_SECONDS": "2",
            ])
        #expect(run.status == 2, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("failed"))
    }
}
