import ArgumentParser
import RCMServer

/// `rcm migrations`: lists each migration as applied (with its batch) or pending.
struct MigrationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrations", abstract: "List migrations: applied (with batch number) or pending.")

    func run() async throws {
        let configuration = try RuntimeBootstrap.configuration(defaultLevel: .warning)
        let status = try await RuntimeBootstrap.withApplication(configuration, exclusive: false) { app in
            try await SchemaMigrations.status(app)
        }
        print("Migrations on \(configuration.database):")
        let width = status.entries.map(\.name.count).max() ?? 0
        for entry in status.entries {
            let state = entry.batch.map { "applied (batch \($0))" } ?? "pending"
            print("  \(entry.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(state)")
        }
    }
}
