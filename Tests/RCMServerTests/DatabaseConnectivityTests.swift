import Foundation
import SQLKit
import Testing

@testable import RCMServer

@Suite(.serialized) struct DatabaseConnectivityTests {
    /// The one-line error the start-up check gives for `url`.
    private func startupError(_ url: String) async throws -> String? {
        let configuration = try RCMConfiguration(environment: ["DATABASE_URL": url])
        do {
            try await TestDatabase.withApp(configuration) { app in
                try await DatabaseConnectivity.checkAtStartup(app, location: configuration.database)
            }
            return nil
        } catch let error as ConfigurationError {
            return error.message
        }
    }

    @Test func unreachablePostgresIsOneClearLine() async throws {
        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        let message = try await startupError("postgres://rcm:hunter2@127.0.0.1:1/rcm?sslmode=disable")
        #expect(message == "cannot reach PostgreSQL at 127.0.0.1:1 (connection refused)")
    }

    @Test(.enabled(if: TestDatabase.adminURL != nil)) func wrongPasswordIsOneClearLine() async throws {
        var components = try #require(URLComponents(string: TestDatabase.adminURL!))
        components.password = "definitely-not-the-password"
        let message = try await startupError(components.string!)
        let place = "\(components.host!):\(components.port ?? 5432)"
        #expect(
            message
                == "PostgreSQL at \(place) rejected the credentials for user '\(components.user!)' (check DATABASE_URL)"
        )
        #expect(message?.contains("definitely-not-the-password") == false)
    }

    @Test(.enabled(if: TestDatabase.adminURL != nil)) func missingDatabaseIsOneClearLine() async throws {
        var components = try #require(URLComponents(string: TestDatabase.adminURL!))
        components.path = "/no_such_database_here"
        let message = try await startupError(components.string!)
        #expect(message?.hasSuffix("has no database 'no_such_database_here' (check DATABASE_URL)") == true)
    }

    /// The directory of the test server's Unix-domain socket (`.ci/run` sets it).
    static var socketDirectory: String? {
        ProcessInfo.processInfo.environment["RCM_TEST_DATABASE_SOCKET_DIR"].flatMap { $0.isEmpty ? nil : $0 }
    }

    @Test(.enabled(if: TestDatabase.adminURL != nil && Self.socketDirectory != nil))
    func aUnixDomainSocketURLReachesTheServer() async throws {
        let admin = try #require(URLComponents(string: TestDatabase.adminURL!))
        var components = URLComponents()
        components.scheme = "postgres"
        components.user = admin.user
        components.password = admin.password
        components.host = ""
        components.path = admin.path
        components.queryItems = [
            URLQueryItem(name: "host", value: Self.socketDirectory),
            URLQueryItem(name: "port", value: "\(admin.port!)"),
        ]
        let configuration = try RCMConfiguration(environment: ["DATABASE_URL": components.string!])
        guard case .postgres(let location) = configuration.database else {
            Issue.record("expected PostgreSQL, got \(configuration.database)")
            return
        }
        #expect(location.isUnixDomainSocket)
        try await TestDatabase.withApp(configuration) { app in
            try await DatabaseConnectivity.checkAtStartup(app, location: configuration.database)
            let sql = try #require(app.db as? any SQLDatabase)
            let row = try #require(try await sql.raw("SELECT inet_server_addr() IS NULL AS local").first())
            // A session over a Unix-domain socket has no server address.
            #expect(try row.decode(column: "local", as: Bool.self))
        }
        // No server listens on that socket: one line naming the socket's path.
        components.queryItems = [
            URLQueryItem(name: "host", value: Self.socketDirectory), URLQueryItem(name: "port", value: "1"),
        ]
        let message = try await startupError(components.string!)
        #expect(message?.hasPrefix("cannot reach PostgreSQL at \(Self.socketDirectory!)/.s.PGSQL.1") == true)
    }
}
