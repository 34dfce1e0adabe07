import Foundation
import Testing

@testable import RCMServer

/// Appends asked for while one is being written share the next transaction; each caller gets its
/// own entry, and the chain over a real database stays exact.
@Suite struct AuditGroupCommitTests {
    actor Writes {
        var batches: [Int] = []
        var seq: Int64 = 0
        func write(_ records: [(AuditTrail.Record, Date)]) async throws -> [AuditEntry] {
            batches.append(records.count)
            try await Task.sleep(for: .milliseconds(50))  // a transaction in flight
            return records.map { record, date in
                seq += 1
                return AuditEntry(
                    seq: seq, occurredAt: date, actor: record.actor, role: nil, action: record.action,
                    resourceType: record.resourceType, resourceID: record.resourceID, outcome: record.outcome,
                    status: nil, ipAddress: nil, userAgent: nil, requestID: nil, changes: nil, previousHash: "",
                    hash: "", keyID: nil)
            }
        }
    }

    @Test func appendsThatArriveTogetherShareATransaction() async throws {
        let writes = Writes()
        let commit = AuditGroupCommit { try await writes.write($0) }
        let entries = try await withThrowingTaskGroup(of: AuditEntry.self) { group in
            for index in 0..<50 {
                group.addTask {
                    try await commit.append(
                        .init(
                            actor: "user:a", action: "claim.read", resourceType: "claim", resourceID: "\(index)",
                            outcome: "success"), at: Date())
                }
            }
            return try await group.reduce(into: [AuditEntry]()) { $0.append($1) }
        }
        // Every caller got its own entry back.
        #expect(Set(entries.compactMap(\.resourceID)) == Set((0..<50).map(String.init)))
        #expect(Set(entries.map(\.seq)).count == 50)
        let batches = await writes.batches
        #expect(batches.reduce(0, +) == 50)
        #expect(batches.count < 50, "\(batches)")
    }

    @Test(arguments: TestDatabase.available)
    func aTrailWrittenInGroupsVerifies(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                let trail = AuditTrail(database: app.db, hmacKey: "a key for the chain of this test")
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<120 {
                        group.addTask {
                            try await trail.append(
                                .init(
                                    actor: "user:a", action: "claim.read", resourceType: "claim",
                                    resourceID: "\(index)", outcome: "success"))
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(try await trail.verify() == .intact(entries: 120))
            }
        }
    }

    /// A group that dies between its entries (the process killed mid-transaction, here an error
    /// after three of its entries were written) leaves nothing of the group: the chain verifies,
    /// and the next appends link to its last committed entry.
    @Test(arguments: TestDatabase.available)
    func aGroupCutOffBetweenEntriesLeavesAVerifiableChain(_ kind: TestDatabase) async throws {
        struct Crash: Error {}
        try await kind.withFreshDatabase { configuration in
            try await TestDatabase.withApp(configuration) { app in
                try await app.autoMigrate()
                let key = "a key for the chain of this test"
                let trail = AuditTrail(database: app.db, hmacKey: key)
                for index in 0..<5 {
                    try await trail.append(
                        .init(
                            actor: "user:a", action: "claim.read", resourceType: "claim", resourceID: "\(index)",
                            outcome: "success"))
                }
                let records = (0..<3).map { index in
                    (
                        AuditTrail.Record(
                            actor: "user:b", action: "claim.read", resourceType: "claim", resourceID: "cut-\(index)",
                            outcome: "success"), Date()
                    )
                }
                await #expect(throws: Crash.self) {
                    try await app.db.transaction { transaction in
                        let written = try await AuditTrail.write(
                            records, on: transaction, keyID: trail.keyID, key: trail.key)
                        #expect(written.map(\.seq) == [6, 7, 8])
                        throw Crash()
                    }
                }
                #expect(try await trail.verify() == .intact(entries: 5))
                try await trail.append(
                    .init(
                        actor: "user:a", action: "claim.read", resourceType: "claim", resourceID: "after",
                        outcome: "success"))
                #expect(try await trail.verify() == .intact(entries: 6))
                #expect(try await trail.entries(limit: 1).first?.resourceID == "after")
            }
        }
    }
}
