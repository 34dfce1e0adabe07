import FluentPostgresDriver
import Foundation
import RCMServer
import SQLKit
import Vapor

/// The databases server tests run on: SQLite always; PostgreSQL when `RCM_TEST_DATABASE_URL` is
/// set (CI sets it). Each test gets a database of its own: a fresh SQLite file, or a new
/// PostgreSQL database created through that URL's role (which needs CREATEDB) and dropped after.
/// If the URL is set but the server cannot be used, the test fails instead of skipping.
enum TestDatabase: String, CustomStringConvertible, Sendable, CaseIterable {
    case sqlite
    case postgres

    var description: String { rawValue }

    /// The kinds available here.
    static var available: [TestDatabase] {
        adminURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    static var adminURL: String? {
        guard let url = ProcessInfo.processInfo.environment["RCM_TEST_DATABASE_URL"], !url.isEmpty else { return nil }
        return url
    }

    /// Runs `body` with a configuration pointing at a new, empty database of this kind.
    @discardableResult
    func withFreshDatabase<T>(_ body: (RCMConfiguration) async throws -> T) async throws -> T {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("rcm-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        switch self {
        case .sqlite:
            let configuration = try RCMConfiguration(environment: [
                "DATABASE_URL": "sqlite://\(scratch.path)/rcm.sqlite", "RCM_KEYS_DIR": "\(scratch.path)/keys",
                "RCM_ADJUDICATION_TIMEOUT_SECONDS": "20",
            ])
            return try await body(configuration)
        case .postgres:
            guard let adminURL = Self.adminURL, var components = URLComponents(string: adminURL) else {
                throw TestSetupError("RCM_TEST_DATABASE_URL is not set")
            }
            let name = "rcm_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased())"
            // Tests create databases in parallel: a refusal is retried twice, and told in full (a
            // PSQLError's description hides its server message).
            for attempt in 1...3 {
                do {
                    try await Self.admin(adminURL) { sql in
                        try await sql.raw("CREATE DATABASE \(unsafeRaw: name)").run()
                    }
                    break
                } catch {
                    FileHandle.standardError.write(
                        Data("CREATE DATABASE \(name), attempt \(attempt): \(String(reflecting: error))\n".utf8))
                    if attempt == 3 { throw error }
                    try await Task.sleep(for: .seconds(1))
                }
            }
            components.path = "/\(name)"
            let configuration = try RCMConfiguration(environment: [
                "DATABASE_URL": components.string!, "RCM_KEYS_DIR": "\(scratch.path)/keys",
                "RCM_ADJUDICATION_TIMEOUT_SECONDS": "20",
            ])
            do {
                let result = try await body(configuration)
                await Self.drop(name, adminURL)
                return result
            } catch {
                if String(describing: type(of: error)).hasPrefix("PSQL") {
                    FileHandle.standardError.write(Data("\(name): \(String(reflecting: error))\n".utf8))
                }
                await Self.drop(name, adminURL)
                throw error
            }
        }
    }

    /// An application configured for `configuration`, shut down after `body`.
    @discardableResult
    static func withApp<T>(_ configuration: RCMConfiguration, _ body: (Application) async throws -> T) async throws -> T
    {
        let app = try await Application.make(.testing)
        do {
            try configure(app, configuration)
            let result = try await body(app)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }

    /// Drops a test database, trying again for a few seconds: `WITH (FORCE)` cannot end a backend
    /// of another role (an autovacuum worker on a database just written hard, SQLSTATE 42501). A
    /// database left behind is reported, not failed: the test's verdict does not depend on it.
    static func drop(_ name: String, _ adminURL: String) async {
        var lastError: (any Error)?
        for _ in 0..<20 {
            do {
                try await admin(adminURL) { sql in
                    try await sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: name) WITH (FORCE)").run()
                }
                return
            } catch {
                lastError = error
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
        FileHandle.standardError.write(
            Data("test database \(name) left behind: \(String(reflecting: lastError as Any))\n".utf8))
    }

    private static func admin(_ url: String, _ body: (any SQLDatabase) async throws -> Void) async throws {
        let configuration = try RCMConfiguration(environment: ["DATABASE_URL": url])
        try await withApp(configuration) { app in
            try await DatabaseConnectivity.check(app.db, location: configuration.database)
            try await body(app.db as! any SQLDatabase)
        }
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
