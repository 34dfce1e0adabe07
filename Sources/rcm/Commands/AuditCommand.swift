import ArgumentParser
import Foundation
import RCMServer
import Vapor

/// `rcm audit verify`: walks the audit trail's hash chain and names the first broken entry.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Check the tamper-evident audit trail.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Verify the audit trail's hash chain (exit status 1 when an entry was changed, deleted or moved).",
            discussion: "With RCM_AUDIT_HMAC_KEY set, entries are checked as HMAC-SHA-256 under that key.")

        func run() async throws {
            let configuration = try RuntimeBootstrap.configuration(defaultLevel: .warning)
            let result = try await RuntimeBootstrap.withMigratedApplication(configuration, exclusive: false) { app in
                try await AuditTrail(database: app.db, hmacKey: configuration.auditHMACKey).verify()
            }
            switch result {
            case .intact(let entries):
                print("audit trail intact: \(entries) entries")
            case .broken(let seq, let id, let reason):
                print("audit trail broken at entry \(seq) (id \(id?.uuidString.lowercased() ?? "?")): \(reason)")
                throw ExitCode(1)
            }
        }
    }
}
