import Testing

@testable import RCMServer

@Suite struct DatabaseLocationTests {
    @Test func unsetMeansTheEmbeddedSQLiteFile() throws {
        #expect(try DatabaseLocation(url: nil) == .sqlite(path: "./rcm.sqlite"))
        #expect(try DatabaseLocation(url: "  ") == .sqlite(path: "./rcm.sqlite"))
    }

    @Test func sqliteForms() throws {
        #expect(
            try DatabaseLocation(url: "sqlite:///var/lib/rcm/rcm.sqlite") == .sqlite(path: "/var/lib/rcm/rcm.sqlite"))
        #expect(try DatabaseLocation(url: "sqlite://data/rcm.sqlite") == .sqlite(path: "data/rcm.sqlite"))
        #expect(try DatabaseLocation(url: "/tmp/x.sqlite") == .sqlite(path: "/tmp/x.sqlite"))
        #expect(try DatabaseLocation(url: "relative.db") == .sqlite(path: "relative.db"))
    }

    @Test func postgresForms() throws {
        let location = try DatabaseLocation(url: "postgresql://rcm:s3cret@db.internal:6543/claims?sslmode=require")
        guard case .postgres(let postgres) = location else {
            Issue.record("expected PostgreSQL, got \(location)")
            return
        }
        #expect(postgres.host == "db.internal")
        #expect(postgres.port == 6543)
        #expect(postgres.username == "rcm")
        #expect(postgres.password == "s3cret")
        #expect(postgres.database == "claims")
        #expect(postgres.sslMode == "require")
        #expect(!location.description.contains("s3cret"))

        guard case .postgres(let defaults) = try DatabaseLocation(url: "postgres://rcm@localhost/rcm") else {
            Issue.record("expected PostgreSQL")
            return
        }
        #expect(defaults.port == 5432)
        #expect(defaults.sslMode == "prefer")
        #expect(defaults.password == nil)
    }

    @Test func wrongSchemeIsOneClearLine() {
        #expect(
            throws: ConfigurationError(
                "DATABASE_URL: unsupported scheme 'mysql://' (use postgres://, postgresql://, sqlite:// or a file path)"
            )
        ) {
            try DatabaseLocation(url: "mysql://root:hunter2@localhost/rcm")
        }
    }

    @Test func incompletePostgresURLsNameTheMissingPartWithoutThePassword() throws {
        do {
            _ = try DatabaseLocation(url: "postgres://rcm:hunter2@db.internal:5432")
            Issue.record("expected an error")
        } catch let error as ConfigurationError {
            #expect(error.message == "DATABASE_URL: no database name in postgres://rcm:***@db.internal:5432")
            #expect(!error.message.contains("hunter2"))
        }
        #expect(
            throws: ConfigurationError(
                "DATABASE_URL: sslmode 'sometimes' is not one of disable, allow, prefer, require, verify-ca, verify-full"
            )
        ) {
            try DatabaseLocation(url: "postgres://rcm@db/rcm?sslmode=sometimes")
        }
        #expect(throws: ConfigurationError("DATABASE_URL: no user name in postgres://db.internal/rcm")) {
            try DatabaseLocation(url: "postgres://db.internal/rcm")
        }
    }

    @Test func otherSettingsAreCheckedToo() {
        #expect(
            throws: ConfigurationError("RCM_ADJUDICATION_TIMEOUT_SECONDS: 'soon' is not a positive number of seconds")
        ) {
            try RCMConfiguration(environment: ["RCM_ADJUDICATION_TIMEOUT_SECONDS": "soon"])
        }
        #expect(
            throws: ConfigurationError(
                "LOG_LEVEL: 'loud' is not one of trace, debug, info, notice, warning, error, critical"
            )
        ) {
            try RCMConfiguration(environment: ["LOG_LEVEL": "loud"])
        }
    }
}
