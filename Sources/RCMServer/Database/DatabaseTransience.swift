import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver

/// Which database errors are passing trouble — the server restarting or refusing connections for a
/// moment, a connection terminated, a busy, serialization or deadlock failure, a pool that had no
/// connection in time — as opposed to an error of what was asked (a constraint, bad SQL). The
/// workflow engine retries a step that met such trouble without counting the attempt (issue 19:
/// steps FAILED on "database is locked" and on a PostgreSQL restart).
///
/// Sources: PostgreSQL SQLSTATE classes 08 (connection exception), 40001 (serialization_failure),
/// 40P01 (deadlock_detected), 53300 (too_many_connections), 57P01–57P03 (admin_shutdown,
/// crash_shutdown, cannot_connect_now; `pg_terminate_backend` is 57P01); SQLite result codes
/// SQLITE_BUSY and SQLITE_LOCKED.
public enum DatabaseTransience {
    /// Whether `error` is passing trouble.
    public static func isTransient(_ error: any Error) -> Bool {
        switch error {
        case let psql as PSQLError:
            if let state = psql.serverInfo?[.sqlState] {
                return state.hasPrefix("08") || ["40001", "40P01", "53300", "57P01", "57P02", "57P03"].contains(state)
            }
            return [.serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown, .poolClosed]
                .contains(psql.code)
        case let sqlite as SQLiteError:
            switch sqlite.reason {
            case .busy, .locked, .busyInRecovery, .busyInSnapshot, .busyTimeout, .lockedBySharedCache: return true
            default: return false
            }
        case is ConnectionPoolTimeoutError, is WorkflowStatementTimedOut:
            return true
        case let database as any DatabaseError:
            return database.isConnectionClosed
        default:
            return false
        }
    }
}
