import FluentKit
import NIOCore

/// The embedded default's database access: every query, write and transaction of the process goes
/// through **one** SQLite connection, on one event loop, taken in turn from Fluent's pool.
///
/// Why: Fluent's SQLite driver opens one connection per event loop, and its transactions begin
/// `DEFERRED`. Two connections that both read and then write in a transaction deadlock in SQLite's
/// locking (and, in WAL mode, a read snapshot made stale by the other writer cannot be upgraded);
/// SQLite answers `SQLITE_BUSY` ("database is locked") at once, without waiting, because waiting
/// could never succeed. Under a billing office's concurrent use with workers on, 80 of 120 API
/// answers were such 500s and workflow steps failed (issue 19). One connection serialises every
/// writer, so a write never meets another in-process writer; reads queue behind a write for its
/// few milliseconds (SQLite itself allows one writer at a time anyway). Measured in the README's
/// Reliability section. Other processes are kept out by ``SQLiteProcessLock``.
///
/// A caller waiting for the connection waits up to the pool's request timeout (10 s) and then gets
/// `connectionRequestTimeout`; claims are bounded in size (``ClaimLimits``) so that no single
/// transaction holds the connection for long.
struct SQLiteSingleConnection: DatabaseConfiguration {
    /// Fluent's own SQLite configuration, whose driver is made on one event loop.
    var base: any DatabaseConfiguration

    var middleware: [any AnyModelMiddleware] {
        get { base.middleware }
        set { base.middleware = newValue }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        let eventLoop = databases.eventLoopGroup.next()
        // The base driver opens one connection per event loop of the group it is given: give it one.
        let pinned = Databases(threadPool: databases.threadPool, on: eventLoop)
        return Driver(base: base.makeDriver(for: pinned), eventLoop: eventLoop)
    }

    /// Makes every database handle on the one event loop whose pool holds the connection, whatever
    /// event loop the caller (a request, a worker) is on.
    struct Driver: DatabaseDriver {
        let base: any DatabaseDriver
        let eventLoop: any EventLoop

        func makeDatabase(with context: DatabaseContext) -> any Database {
            base.makeDatabase(
                with: DatabaseContext(
                    configuration: context.configuration, logger: context.logger, eventLoop: eventLoop,
                    history: context.history, pageSizeLimit: context.pageSizeLimit, shouldTrace: context.shouldTrace))
        }

        func shutdown() { base.shutdown() }

        func shutdownAsync() async { await base.shutdownAsync() }
    }
}
