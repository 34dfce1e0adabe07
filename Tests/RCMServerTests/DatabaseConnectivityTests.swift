import Foundation
import Testing

@testable import RCMServer

@Suite(.serialized) struct DatabaseConnectivityTests {
    @Test func unreachablePostgresIsOneClearLine() async throws {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        let configuration = try RCMConfiguration(environment: [
            "DATABASE_URL": "postgres://rcm:hunter2@127.0.0.1:1/rcm?sslmode=disable"
        ])
        do {
            try await TestDatabase.withApp(configuration) { app in
                try await DatabaseConnectivity.check(app.db, location: configuration.database)
            }
            Issue.record("expected the check to fail")
        } catch let error as ConfigurationError {
            #expect(error.message == "cannot reach PostgreSQL at 127.0.0.1:1 (connection refused)")
        }
    }

    @Test(.enabled(if: TestDatabase.adminURL != nil)) func wrongPasswordIsOneClearLine() async throws {
        var components = try #require(URLComponents(string: TestDatabase.adminURL!))
        components.password = "definitely-not-the-password"
        let configuration = try RCMConfiguration(environment: ["DATABASE_URL": components.string!])
        do {
            try await TestDatabase.withApp(configuration) { app in
                try await DatabaseConnectivity.check(app.db, location: configuration.database)
            }
            Issue.record("expected the check to fail")
        } catch let error as ConfigurationError {
            let place = "\(components.host!):\(components.port ?? 5432)"
            #expect(
                error.message
                    == "PostgreSQL at \(place) rejected the credentials for user '\(components.user!)' (check DATABASE_URL)"
            )
            #expect(!error.message.contains("definitely-not-the-password"))
        }
    }

    @Test(.enabled(if: TestDatabase.adminURL != nil)) func missingDatabaseIsOneClearLine() async throws {
        var components = try #require(URLComponents(string: TestDatabase.adminURL!))
        components.path = "/no_such_database_here"
        let configuration = try RCMConfiguration(environment: ["DATABASE_URL": components.string!])
        do {
            try await TestDatabase.withApp(configuration) { app in
                try await DatabaseConnectivity.check(app.db, location: configuration.database)
            }
            Issue.record("expected the check to fail")
        } catch let error as ConfigurationError {
            #expect(error.message.hasSuffix("has no database 'no_such_database_here' (check DATABASE_URL)"))
        }
    }
}
