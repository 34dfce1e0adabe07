import Foundation
import Testing

@testable import RCMServer

@Suite struct SQLiteProcessLockTests {
    @Test func aSecondHolderIsRefusedUntilTheFirstLetsGo() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rcm-lock-\(UUID()).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var first: SQLiteProcessLock? = try SQLiteProcessLock(path: path)
        #expect(
            throws: ConfigurationError(
                "SQLite file \(path) is in use by another rcm process; SQLite serves one process at a time "
                    + "(use PostgreSQL to run several)")
        ) {
            try SQLiteProcessLock(path: path)
        }
        withExtendedLifetime(first) {}
        first = nil
        #expect(throws: Never.self) { try SQLiteProcessLock(path: path) }
    }
}
