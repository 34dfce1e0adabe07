import ArgumentParser
import Foundation
import RCMServer
import Vapor

/// `rcm migrate [--revert] [--yes]`: applies pending migrations, or rolls back the last batch.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply every pending migration (or roll back the last batch with --revert).",
        discussion:
            "Works on SQLite and PostgreSQL (DATABASE_URL). Without --yes it asks first; with no terminal to ask, it refuses."
    )

    @ArgumentParser.Flag(help: "Roll back the most recent batch of migrations instead of applying.")
    var revert = false

    @ArgumentParser.Flag(name: .shortAndLong, help: "Do not ask for confirmation.")
    var yes = false

    func run() async throws {
        let configuration = try RuntimeBootstrap.configuration(defaultLevel: .warning)
        try await RuntimeBootstrap.withApplication(configuration, exclusive: true) { app in
            try await migrate(app, configuration)
        }
    }

    private func migrate(_ app: Application, _ configuration: RCMConfiguration) async throws {
        let status = try await SchemaMigrations.status(app)
        let target = configuration.database.description
        if revert {
            guard let batch = status.entries.compactMap(\.batch).max() else {
                print("Nothing to revert on \(target): no migration is applied.")
                return
            }
            let names = status.entries.filter { $0.batch == batch }.map(\.name)
            try confirm("Revert batch \(batch) (\(names.joined(separator: ", "))) on \(target)?")
            try await SchemaMigrations.revertLastBatch(app)
            print("Reverted batch \(batch) on \(target): \(names.joined(separator: ", "))")
        } else {
            let pending = status.pending
            guard !pending.isEmpty else {
                print("\(target) is up to date (\(status.entries.count) migrations applied).")
                return
            }
            try confirm("Apply \(pending.count) migration(s) (\(pending.joined(separator: ", "))) to \(target)?")
            try await SchemaMigrations.applyPending(app)
            print("Applied \(pending.count) migration(s) to \(target): \(pending.joined(separator: ", "))")
        }
    }

    private func confirm(_ question: String) throws {
        guard !yes else { return }
        guard isatty(STDIN_FILENO) == 1 else {
            throw ConfigurationError("refusing to change the database without --yes (no terminal to ask)")
        }
        print("\(question) [y/N] ", terminator: "")
        guard let answer = readLine()?.lowercased(), answer == "y" || answer == "yes" else {
            throw CleanExit.message("Nothing changed.")
        }
    }
}
