import FluentKit
import NIOCore

/// The embedded default's database access: every write and transaction of the process goes
/// through **one** SQLite connection (the writer, on one event loop), and reads outside a
/// transaction through a pool of others, one per event loop (``SQLiteReadWriteDatabase`` routes
/// each operation).
///
/// Why: Fluent's SQLite driver opens one connection per event loop, and its transactions begin
/// `DEFERRED`. Two connections that both read and then write in a transaction deadlock in SQLite's
/// locking (and, in WAL mode, a read snapshot made stale by the other writer cannot be upgraded);
/// SQLite answers `SQLITE_BUSY` ("database is locked") at once, without waiting, because waiting
/// could never succeed. Under a billing office's concurrent use with workers on, 80 of 120 API
/// answers were such 500s and workflow steps failed (issue 19). One writer connection means a
/// write never meets another in-process writer (SQLite allows one writer at a time anyway); the
/// readers never upgrade to writing, so they only wait out a commit, never deadlock, and in WAL
/// mode (``DatabaseConnectivity/checkAtStartup(_:location:)``) they do not wait at all. Other
/// processes are kept out by ``SQLiteProcessLock``.
///
/// A caller waiting for the writer queues up to ``waitSeconds`` and then gets
/// `connectionRequestTimeout`; claims are bounded in size (``RCMCore/ClaimLimits``) so that no
/// single transaction holds the writer for long.
struct SQLiteSingleWriter: DatabaseConfiguration {
    /// How long a write waits for the writer connection, in seconds: a burst of writes queues (48
    /// transactions at once on a loaded debug build took over 10 s, Fluent's default) rather than
    /// failing.
    static let waitSeconds: Int64 = 60

    /// Fluent's own SQLite configuration, whose drivers are made: one on one event loop (the writer),
    /// one on every event loop (the readers).
    var base: any DatabaseConfiguration

    var middleware: [any AnyModelMiddleware] {
        get { base.middleware }
        set { base.middleware = newValue }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        let eventLoop = databases.eventLoopGroup.next()
        // The base driver opens one connection per event loop of the group it is given: give it one.
        let pinned = Databases(threadPool: databases.threadPool, on: eventLoop)
        return Driver(
            writer: base.makeDriver(for: pinned), readers: base.makeDriver(for: databases), writerEventLoop: eventLoop)
    }

    struct Driver: DatabaseDriver {
        let writer: any DatabaseDriver
        let readers: any DatabaseDriver
        let writerEventLoop: any EventLoop

        func makeDatabase(with context: DatabaseContext) -> any Database {
            let writerContext = DatabaseContext(
                configuration: context.configuration, logger: context.logger, eventLoop: writerEventLoop,
                history: context.history, pageSizeLimit: context.pageSizeLimit, shouldTrace: context.shouldTrace)
            return SQLiteReadWriteDatabase(
                writer: writer.makeDatabase(with: writerContext), reader: readers.makeDatabase(with: context))
        }

        func shutdown() {
            writer.shutdown()
            readers.shutdown()
        }

        func shutdownAsync() async {
            await writer.shutdownAsync()
            await readers.shutdownAsync()
        }
    }
}
