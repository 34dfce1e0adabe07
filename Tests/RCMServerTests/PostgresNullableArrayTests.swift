import FluentPostgresDriver
import Foundation
import Testing

@testable import RCMServer

/// `PostgresNullableArray`: arrays with NULL elements bound in PostgreSQL's binary array format,
/// read back by the server.
@Suite struct PostgresNullableArrayTests {
    @Test(.enabled(if: TestDatabase.adminURL != nil))
    func arraysWithNullsReachTheServerElementForElement() async throws {
        try await TestDatabase.postgres.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                let postgres = try #require(app.db.postgresOutsideChange)
                let day = Date(timeIntervalSince1970: 1_796_083_200.123456)
                var bindings = PostgresBindings()
                bindings.append(PostgresNullableArray<String>(["a", nil, "ü \"q\"", ""]))
                bindings.append(PostgresNullableArray<Int64>([nil, 42, -7]))
                bindings.append(PostgresNullableArray<Date>([day, nil]))
                bindings.append(PostgresNullableArray<String>([]))
                bindings.append(PostgresNullableArray<Bool>([true]))
                let query = PostgresQuery(
                    unsafeSQL: """
                        SELECT array_to_json($1::text[])::text, array_to_json($2::int8[])::text,
                          (SELECT array_agg(extract(epoch FROM t)::text ORDER BY o) FROM unnest($3::timestamptz[])
                            WITH ORDINALITY AS u(t, o))::text,
                          cardinality($4::text[]), array_to_json($5::bool[])::text
                        """, binds: bindings)
                let logger = app.logger
                let row = try await postgres.withConnection { connection in
                    connection.eventLoop.makeFutureWithTask { () async throws -> PostgresRow? in
                        for try await row in try await connection.query(query, logger: logger) { return row }
                        return nil
                    }
                }.get()
                let (texts, numbers, times, emptyCount, flags) = try #require(row).decode(
                    (String, String, String, Int, String).self)
                #expect(texts == #"["a",null,"ü \"q\"",""]"#)
                #expect(numbers == "[null,42,-7]")
                #expect(times == "{1796083200.123456,NULL}")
                #expect(emptyCount == 0)
                #expect(flags == "[true]")
            }
        }
    }
}
