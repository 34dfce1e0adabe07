import FHIR
import Fluent
import Foundation
import RCMCore
import RevenueCycle
import SQLKit
import Testing
import Vapor

@testable import RCMServer

/// The claims list's keyset pages (`ClaimQueries.page`) with claims taken in within the same
/// microsecond: every claim once (a cursor compared through a ±0.5 µs band returned a claim twice
/// in two CI runs of ClaimRouteTests; the cursor now compares with the row's stored timestamp).
@Suite(.serialized) struct ClaimListPagingTests {
    @Test(arguments: TestDatabase.available)
    func claimsTakenInAtNearlyTheSameInstantArePagedOnce(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                let repository = FluentClaimRepository(database: app.db)
                var ids: [UUID] = []
                for file in [
                    "claim-approved-outpatient-visit.json", "claim-partially-approved-appendectomy.json",
                    "claim-rejected-at-coding.json",
                ] {
                    ids.append(try await repository.intake(DenialQueueStoreTests.submission(file)).0.rawValue)
                }
                // 0.3 µs apart, each within half a microsecond of the next, the newest with the
                // smallest id: the order in which a band around the cursor skipped or repeated rows.
                ids.sort { $0.uuidString > $1.uuidString }
                let sql = app.db as! any SQLDatabase
                let start = Date(timeIntervalSince1970: 1_796_500_000.123456)
                for (index, id) in ids.enumerated() {
                    try await sql.update("claims").set("created_at", to: start.addingTimeInterval(Double(index) * 3e-7))
                        .where("id", .equal, id).run()
                }
                for limit in [1, 2] {
                    var seen: [UUID] = []
                    var cursor: ClaimQueries.Cursor?
                    repeat {
                        let (page, next) = try await ClaimQueries(database: app.db).page(
                            .init(), limit: limit, after: cursor)
                        seen += page.compactMap(\.id)
                        cursor = try next.map { try ClaimQueries.Cursor(text: $0.text) }
                    } while cursor != nil
                    #expect(seen.count == 3, "limit \(limit)")
                    #expect(Set(seen) == Set(ids), "limit \(limit)")
                }
            }
        }
    }
}
