import Fluent
import Foundation
import SQLKit
import Testing
import Vapor

@testable import RCMServer

/// The embedded default under concurrent use: transactions that read and then write, from many
/// tasks at once on several event loops, never meet SQLite's "database is locked".
@Suite struct SQLiteConcurrencyTests {
    @Test func transactionsThatReadThenWriteAtOnceAllCommit() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await DatabaseConnectivity.checkAtStartup(app, location: configuration.database)
                try await app.autoMigrate()
                let trail = AuditTrail(database: app.db)
                // Each append is a transaction that reads the chain's end, then inserts; with one
                // connection per event loop two such transactions deadlocked and one got SQLITE_BUSY.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<48 {
                        let loop = app.eventLoopGroup.next()
                        group.addTask {
                            let database = app.databases.database(logger: app.logger, on: loop)!
                            try await AuditTrail(database: database).append(
                                .init(
                                    actor: "test", action: "test.concurrent", resourceType: "test",
                                    resourceID: "\(index)", outcome: "success"))
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(try await trail.verify() == .intact(entries: 48))
                let ids = try await trail.entries(limit: 100).compactMap(\.resourceID)
                #expect(Set(ids) == Set((0..<48).map(String.init)))
            }
        }
    }
}
