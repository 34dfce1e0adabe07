import Foundation

/// Group commit for the audit chain: an append that arrives while none is being written goes out
/// at once, alone; appends that arrive while one is being written wait and go out together in the
/// next transaction (at most ``maximumBatch``). Each caller returns when its own entry is
/// committed, with that entry, or with the transaction's error. The chain stays exact: a batch
/// links its entries in the order they were asked for, after the chain's end read in the same
/// transaction (``AuditTrail/write(_:on:keyID:key:)``).
///
/// Why: every read of patient data appends an entry in the request, and appends are serialised
/// in the database (SQLite's one writer, PostgreSQL's advisory lock), so under load each reader
/// queued for a transaction of its own (issue 19; issue 22 asks for the same).
actor AuditGroupCommit {
    /// The most entries one transaction writes.
    static let maximumBatch = 256

    private struct Waiting {
        let record: AuditTrail.Record
        let date: Date
        let continuation: CheckedContinuation<AuditEntry, any Error>
    }

    private let write: @Sendable ([(AuditTrail.Record, Date)]) async throws -> [AuditEntry]
    private var waiting: [Waiting] = []
    private var writing = false

    /// - Parameter write: writes a batch in one transaction, answering its entries in order.
    init(write: @escaping @Sendable ([(AuditTrail.Record, Date)]) async throws -> [AuditEntry]) {
        self.write = write
    }

    /// Appends one entry with the next batch; returns once it is committed.
    func append(_ record: AuditTrail.Record, at date: Date) async throws -> AuditEntry {
        try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(record: record, date: date, continuation: continuation))
            guard !writing else { return }
            writing = true
            // The writer outlives the caller: it must not write into a change the caller has open.
            Task { await ChangeTransaction.$current.withValue(nil) { await self.drain() } }
        }
    }

    /// Writes batches until nobody waits.
    private func drain() async {
        while !waiting.isEmpty {
            let batch = Array(waiting.prefix(Self.maximumBatch))
            waiting.removeFirst(batch.count)
            do {
                let entries = try await write(batch.map { ($0.record, $0.date) })
                for (waiter, entry) in zip(batch, entries) { waiter.continuation.resume(returning: entry) }
            } catch {
                for waiter in batch { waiter.continuation.resume(throwing: error) }
            }
        }
        writing = false
    }
}
