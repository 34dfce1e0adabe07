import Foundation
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

    @Test func unixDomainSocketFormsAsLibpqWritesThem() throws {
        for url in [
            "postgres://rcm:s3cret@/claims?host=/var/run/postgresql&port=5433",
            "postgresql://rcm:s3cret@%2Fvar%2Frun%2Fpostgresql:5433/claims",
        ] {
            let location = try DatabaseLocation(url: url)
            guard case .postgres(let postgres) = location else {
                Issue.record("expected PostgreSQL, got \(location)")
                continue
            }
            #expect(postgres.isUnixDomainSocket)
            #expect(postgres.host == "/var/run/postgresql")
            #expect(postgres.database == "claims")
            #expect(postgres.username == "rcm")
            #expect(location.description == "PostgreSQL rcm@/var/run/postgresql/.s.PGSQL.5433/claims")
        }
        guard case .postgres(let tcp) = try DatabaseLocation(url: "postgres://rcm@localhost/rcm") else {
            Issue.record("expected PostgreSQL")
            return
        }
        #expect(!tcp.isUnixDomainSocket)
        #expect(
            throws: ConfigurationError("DATABASE_URL: the host parameter must be a socket directory starting with /")
        ) {
            try DatabaseLocation(url: "postgres://rcm@/rcm?host=db.internal")
        }
        #expect(throws: ConfigurationError("DATABASE_URL: no host in postgres://rcm@/rcm")) {
            try DatabaseLocation(url: "postgres://rcm@/rcm")
        }
        for port in ["0", "65536", "5432x", ""] {
            #expect(
                throws: ConfigurationError("DATABASE_URL: the port parameter '\(port)' is not a port number (1-65535)")
            ) {
                try DatabaseLocation(url: "postgres://rcm@/rcm?host=/var/run/postgresql&port=\(port)")
            }
        }
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

    @Test func otherSettingsAreCheckedToo() throws {
        #expect(
            throws: ConfigurationError(
                "RCM_ADJUDICATION_TIMEOUT_SECONDS: 'soon' is not a number of seconds between 0 and 86400")
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
        #expect(throws: ConfigurationError("RCM_NOW: '2026-11-31' is not a calendar date YYYY-MM-DD")) {
            try RCMConfiguration(environment: ["RCM_NOW": "2026-11-31"])
        }
        #expect(throws: ConfigurationError("RCM_NOW: '2026-11-30T00:00:00Z' is not a calendar date YYYY-MM-DD")) {
            try RCMConfiguration(environment: ["RCM_NOW": "2026-11-30T00:00:00Z"])
        }
        #expect(try RCMConfiguration(environment: ["RCM_NOW": "2026-11-30"]).billingDay?.description == "2026-11-30")
        #expect(try RCMConfiguration(environment: [:]).billingDay == nil)
    }

    @Test func passwordsNeverAppearEvenWhenTheyBreakTheURL() {
        for url in [
            "postgres://u:p#ss@127.0.0.1:1/db", "postgres://u:p@ss#w?rd@db.internal/db", "postgres://u:a/b@h/db",
        ] {
            do {
                _ = try DatabaseLocation(url: url)
                Issue.record("expected \(url) to be refused")
            } catch let error as ConfigurationError {
                #expect(
                    error.message.hasPrefix("DATABASE_URL: the user name or password holds @ # ? or / — percent-encode")
                )
                #expect(error.message.contains("u:***@"))
                for secret in ["p#ss", "ss#w?rd", "a/b"] { #expect(!error.message.contains(secret)) }
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
        #expect(DatabaseLocation.redact("postgres://rcm:s3cr%23t@db:5432/rcm") == "postgres://rcm:***@db:5432/rcm")
        #expect(throws: Never.self) { try DatabaseLocation(url: "postgres://rcm:s3cr%23t@db:5432/rcm") }
    }

    @Test func numbersInSettingsAreReadStrictly() throws {
        for text in ["inf", "1e300", "12abc", "1,000", "0", "-5", "86401"] {
            #expect(throws: ConfigurationError.self) {
                try RCMConfiguration(environment: ["RCM_ADJUDICATION_TIMEOUT_SECONDS": text])
            }
        }
        #expect(
            try RCMConfiguration(environment: ["RCM_ADJUDICATION_TIMEOUT_SECONDS": "2.5"]).adjudicationTimeoutSeconds
                == 2.5)
    }

    @Test func theSandboxStateDefaultsBesideTheKeyFolder() throws {
        #expect(try RCMConfiguration(environment: [:]).sandboxStatePath == "./.rcm/sandbox.sqlite")
        #expect(
            try RCMConfiguration(environment: ["RCM_KEYS_DIR": "/srv/rcm/keys"]).sandboxStatePath
                == "/srv/rcm/sandbox.sqlite")
        #expect(try RCMConfiguration(environment: ["RCM_SANDBOX_STATE": "memory"]).sandboxStatePath == nil)
        #expect(try RCMConfiguration(environment: [:]).sandboxRulesPath == nil)
    }

    @Test func aRealGatewayNeedsALogin() throws {
        #expect(try RCMConfiguration(environment: [:]).hcxBaseURL == nil)
        #expect(
            throws: ConfigurationError(
                "HCX_BASE_URL is set: give HCX_USERNAME with HCX_SECRET (API access) or HCX_PASSWORD to log in")
        ) {
            try RCMConfiguration(environment: ["HCX_BASE_URL": "http://127.0.0.1:8090/v0.7"])
        }
        #expect(
            throws: ConfigurationError(
                "HCX_BASE_URL: 'ftp://x/v0.7' is not an http(s) URL such as https://host/api/v0.7")
        ) {
            try RCMConfiguration(environment: ["HCX_BASE_URL": "ftp://x/v0.7"])
        }
        let configuration = try RCMConfiguration(environment: [
            "HCX_BASE_URL": "http://127.0.0.1:8090/v0.7", "HCX_USERNAME": "rcm", "HCX_SECRET": "s3cret",
            "HCX_PARTICIPANT_CODE": "provider.a@hcx", "RCM_KEYS_DIR": "/k",
        ])
        #expect(
            configuration.hcxCredentials
                == .apiAccess(participantCode: "provider.a@hcx", username: "rcm", secret: "s3cret"))
        #expect(configuration.hcxPrivateKeyPath == "/k/provider.private.pem")
        #expect(configuration.hcxGatewayCertificatePath == "/k/sandbox-gateway.cert.pem")
        #expect(
            try RCMConfiguration(environment: ["HCX_USERNAME": "u", "HCX_PASSWORD": "p"]).hcxCredentials
                == .participant(username: "u", password: "p"))
    }
}
