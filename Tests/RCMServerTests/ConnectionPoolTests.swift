import Foundation
import RCMServer
import SQLKit
import Testing

/// `RCM_DB_POOL_SIZE`: the most PostgreSQL connections one process opens.
@Suite struct ConnectionPoolTests {
    @Test func thePoolSizeIsReadStrictlyAndSpreadOverTheEventLoops() throws {
        for text in ["0", "-1", "1001", "ten", "2.5", "1e3"] {
            #expect(throws: ConfigurationError.self) { try RCMConfiguration(environment: ["RCM_DB_POOL_SIZE": text]) }
        }
        #expect(try RCMConfiguration(environment: ["RCM_DB_POOL_SIZE": "12"]).databasePoolSize == 12)
        #expect(try RCMConfiguration(environment: [:]).databasePoolSize == nil)
        #expect(postgresConnectionsPerEventLoop(poolSize: nil, eventLoops: 2) == 8)
        #expect(postgresConnectionsPerEventLoop(poolSize: 12, eventLoops: 4) == 3)
        #expect(postgresConnectionsPerEventLoop(poolSize: 10, eventLoops: 4) == 2)
        #expect(postgresConnectionsPerEventLoop(poolSize: 2, eventLoops: 16) == 1)
    }

    @Test(.enabled(if: TestDatabase.adminURL != nil))
    func aProcessOpensNoMoreConnectionsThanItsPoolSize() async throws {
        try await TestDatabase.postgres.withFreshDatabase { configuration in
            var configuration = configuration
            configuration.databasePoolSize = 2
            try await TestDatabase.withApp(configuration) { app in
                let allowed = postgresConnectionLimit(app, poolSize: 2)
                let sql = try #require(app.db as? any SQLDatabase)
                // Twelve queries at once, each seeing how many connections this database has.
                let seen = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<12 {
                        group.addTask {
                            let row = try await sql.raw(
                                """
                                SELECT (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()) AS n,
                                  pg_sleep(0.2)
                                """
                            ).first()
                            return try #require(row).decode(column: "n", as: Int.self)
                        }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(seen.count == 12)
                #expect(seen.max()! <= allowed)
                #expect(allowed < 12)
            }
        }
    }
}
