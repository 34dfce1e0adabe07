import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive advisory lock (`flock`) on the SQLite file, held while one `rcm` process works on
/// it: SQLite is the single-process store (docs DESIGN.md §3), and a second process would
/// otherwise fail midway with "database is locked". Released when the process exits.
public final class SQLiteProcessLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock.
    /// - Throws: ``ConfigurationError`` when another process holds it or the file cannot be opened.
    public init(path: String) throws {
        let descriptor = open(path, O_RDWR | O_CREAT, 0o600)
        guard descriptor >= 0 else {
            throw ConfigurationError("cannot open SQLite file \(path) (\(String(cString: strerror(errno))))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw ConfigurationError(
                "SQLite file \(path) is in use by another rcm process; SQLite serves one process at a time "
                    + "(use PostgreSQL to run several)")
        }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
