import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting

@testable import RCMServer

/// A change and its audit entry commit together (issue 19): when the entry cannot be written, the
/// change is not kept either, on the API and in the operator's commands.
@Suite(.serialized) struct AuditInTransactionTests {
    /// Makes the database refuse audit entries of `action` (a trigger), as a full disk or a broken
    /// connection would at the worst moment.
    static func refuseAuditEntries(_ action: String, on app: Application) async throws {
        let sql = app.db as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw(
                """
                CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW.action = '\(unsafeRaw: action)' THEN RAISE EXCEPTION 'audit refused'; END IF; RETURN NEW; END $$
                """
            ).run()
            try await sql.raw(
                "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_logs FOR EACH ROW EXECUTE FUNCTION refuse_audit()"
            ).run()
        } else {
            try await sql.raw(
                """
                CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_logs WHEN NEW.action = '\(unsafeRaw: action)'
                BEGIN SELECT RAISE(ABORT, 'audit refused'); END
                """
            ).run()
        }
    }

    static func allowAuditEntries(on app: Application) async throws {
        let sql = app.db as! any SQLDatabase
        try await sql.raw(
            sql.dialect.name == "postgresql" ? "DROP TRIGGER refuse_audit ON audit_logs" : "DROP TRIGGER refuse_audit"
        ).run()
    }

    static func count(_ table: String, on app: Application) async throws -> Int {
        try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()!
            .decode(column: "n", as: Int.self)
    }

    @Test(arguments: TestDatabase.available)
    func aPaymentWhoseEntryCannotBeWrittenIsNotPosted(_ kind: TestDatabase) async throws {
        try await SecurityTests().withServerApp(kind) { app, _ in
            var headers = try await TestSecurity.headers(app, .biller)
            headers.contentType = .json
            let biller = headers
            @Sendable func post(_ identifier: String) async throws -> HTTPStatus {
                var status = HTTPStatus.ok
                try await app.testing().test(
                    .POST, "api/v1/payments", headers: biller,
                    body: ByteBuffer(
                        string: #"{"payment_identifier":"\#(identifier)","amount":"10.00","claim_identifier":"X-1"}"#),
                    afterResponse: { status = $0.status })
                return status
            }
            #expect(try await post("CHQ-1") == .created)
            #expect(try await Self.count("payments", on: app) == 1)
            // Posted again, alone and several at once: the key clash inside the change is caught and
            // the existing payment answered (on PostgreSQL the change's transaction must survive it).
            #expect(try await post("CHQ-1") == .ok)
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<4 { group.addTask { try await post("CHQ-1B") } }
                return try await group.reduce(into: [UInt]()) { $0.append($1.code) }.sorted()
            }
            #expect(statuses == [200, 200, 200, 201])
            #expect(try await Self.count("payments", on: app) == 2)
            let entries = try await Self.count("audit_logs", on: app)

            try await Self.refuseAuditEntries("payment.post", on: app)
            #expect(try await post("CHQ-2").code >= 500)
            #expect(try await Self.count("payments", on: app) == 2, "a payment was posted without its audit entry")
            #expect(try await Self.count("audit_logs", on: app) == entries)

            try await Self.allowAuditEntries(on: app)
            #expect(try await post("CHQ-2") == .created)
            #expect(try await Self.count("payments", on: app) == 3)
            let trail = try #require(app.security).audit
            #expect(try await trail.verify() == .intact(entries: entries + 1))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRefreshWhoseEntryCannotBeWrittenDoesNotSpendTheToken(_ kind: TestDatabase) async throws {
        try await SecurityTests().withServerApp(kind) { app, _ in
            let security = try #require(app.security)
            let user = try await UserDirectory(database: app.db, bcryptCost: 4).create(
                email: "refresh@rcm.test", roles: [.biller], password: TestSecurity.password)
            let token = try await security.users.issueRefreshToken(for: user.id)
            func refresh() async throws -> HTTPStatus {
                var status = HTTPStatus.ok
                try await app.testing().test(
                    .POST, "api/v1/auth/refresh", headers: ["Content-Type": "application/json"],
                    body: ByteBuffer(string: #"{"refresh_token":"\#(token)"}"#),
                    afterResponse: { status = $0.status })
                return status
            }
            try await Self.refuseAuditEntries("auth.refresh", on: app)
            #expect(try await refresh().code >= 500)
            try await Self.allowAuditEntries(on: app)
            // The token was not spent by the refresh that could not be recorded.
            #expect(try await refresh() == .ok)
            #expect(try await refresh() == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aChangeThatFailsKeepsNothingItWrote(_ kind: TestDatabase) async throws {
        try await SecurityTests().withServerApp(kind) { app, _ in
            let security = try #require(app.security)
            let users = try await Self.count("users", on: app)
            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                try await security.audit.change {
                    _ = try await UserDirectory(database: app.db, bcryptCost: 4).create(
                        email: "half@rcm.test", roles: [.biller], password: TestSecurity.password)
                    try await security.audit.append(
                        AuditTrail.Record(
                            actor: "cli:test", action: "user.create", resourceType: "user", resourceID: "half@rcm.test",
                            outcome: "success"))
                    throw Refused()
                }
            }
            #expect(try await Self.count("users", on: app) == users)
            #expect(try await Self.count("audit_logs", on: app) == 0)
            #expect(try await security.audit.verify() == .intact(entries: 0))
        }
    }
}

/// A refresh token redeemed by several requests at once yields one token pair (on PostgreSQL,
/// every request read it unrevoked and each got a pair).
@Suite struct RefreshTokenRaceTests {
    @Test(arguments: TestDatabase.available)
    func aTokenRedeemedAtOnceBySeveralYieldsOnePair(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                let users = UserDirectory(database: app.db, bcryptCost: 4)
                let user = try await users.create(
                    email: "race@rcm.test", roles: [.biller], password: TestSecurity.password)
                for _ in 0..<5 {
                    let token = try await users.issueRefreshToken(for: user.id)
                    let redeemed = try await withThrowingTaskGroup(of: Bool.self) { group in
                        for _ in 0..<8 { group.addTask { try await users.redeemRefreshToken(token) != nil } }
                        return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
                    }
                    #expect(redeemed == 1)
                }
            }
        }
    }
}
