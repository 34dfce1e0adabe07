import FluentPostgresDriver
import Foundation
import NIOSSL

/// Where RCM keeps its data, read from `DATABASE_URL` (docs DESIGN.md §3).
///
/// Accepted forms:
/// - unset or empty: the embedded default, SQLite file `./rcm.sqlite`;
/// - `sqlite:///absolute/path`, `sqlite://relative/path`, or a bare file path: SQLite;
/// - `postgres://user:pass@host:port/db` or `postgresql://…`: PostgreSQL, with TLS chosen by the
///   standard libpq `sslmode` parameter: `disable`; `allow`/`prefer` (the default: TLS when the
///   server offers it, no certificate check); `require` (TLS, no certificate check); `verify-ca`
///   (TLS, chain checked); `verify-full` (TLS, chain and host name checked);
/// - PostgreSQL over a Unix-domain socket, as libpq writes it: the socket's directory as the
///   `host` query parameter (`postgres://user@/db?host=/var/run/postgresql`, with `port` as a
///   parameter too if not 5432) or percent-encoded as
///   the host (`postgres://user@%2Fvar%2Frun%2Fpostgresql/db`); the socket is
///   `<directory>/.s.PGSQL.<port>` (port 5432 unless given) and, as in libpq, `sslmode` does not
///   apply to it.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// A SQLite file at this path (relative paths are relative to the working directory).
    case sqlite(path: String)
    /// A PostgreSQL server.
    case postgres(PostgresLocation)

    /// The embedded default path.
    public static let defaultSQLitePath = "./rcm.sqlite"

    /// The parts of a PostgreSQL URL.
    public struct PostgresLocation: Sendable, Equatable {
        /// A host name or address, or — starting with `/` — the directory of the server's
        /// Unix-domain socket (libpq's rule).
        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String
        public var sslMode: String
    }

    /// Reads a `DATABASE_URL` value.
    /// - Throws: ``ConfigurationError`` naming the problem (never the password).
    public init(url text: String?) throws {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            self = .sqlite(path: Self.defaultSQLitePath)
            return
        }
        guard let schemeEnd = text.range(of: "://") else {
            self = .sqlite(path: text)
            return
        }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        switch scheme {
        case "sqlite":
            let path = String(text[schemeEnd.upperBound...])
            guard !path.isEmpty else {
                throw ConfigurationError(
                    "DATABASE_URL: sqlite:// needs a file path (sqlite:///abs/path or sqlite://relative/path)")
            }
            self = .sqlite(path: path)
        case "postgres", "postgresql":
            self = .postgres(try Self.postgres(text))
        default:
            throw ConfigurationError(
                "DATABASE_URL: unsupported scheme '\(scheme)://' (use postgres://, postgresql://, sqlite:// or a file path)"
            )
        }
    }

    private static func postgres(_ text: String) throws -> PostgresLocation {
        if let credentials = credentials(of: text), credentials.contains(where: { "@#?/".contains($0) }) {
            throw ConfigurationError(
                "DATABASE_URL: the user name or password holds @ # ? or / — percent-encode them (\(redact(text)))")
        }
        guard let components = URLComponents(string: text) else {
            throw ConfigurationError("DATABASE_URL: not a valid URL (\(redact(text)))")
        }
        func parameter(_ name: String) -> String? { components.queryItems?.last(where: { $0.name == name })?.value }
        let socketDirectory = parameter("host")
        guard
            let host = socketDirectory ?? components.percentEncodedHost?.removingPercentEncoding,
            !host.isEmpty
        else {
            throw ConfigurationError("DATABASE_URL: no host in \(redact(text))")
        }
        if socketDirectory != nil, !host.hasPrefix("/") {
            throw ConfigurationError("DATABASE_URL: the host parameter must be a socket directory starting with /")
        }
        guard let user = components.user, !user.isEmpty else {
            throw ConfigurationError("DATABASE_URL: no user name in \(redact(text))")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty else {
            throw ConfigurationError("DATABASE_URL: no database name in \(redact(text))")
        }
        let sslMode = parameter("sslmode") ?? "prefer"
        guard ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"].contains(sslMode) else {
            throw ConfigurationError(
                "DATABASE_URL: sslmode '\(sslMode)' is not one of disable, allow, prefer, require, verify-ca, verify-full"
            )
        }
        var port = components.port ?? 5432
        if let text = parameter("port") {
            guard let number = Int(text), (1...65_535).contains(number) else {
                throw ConfigurationError("DATABASE_URL: the port parameter '\(text)' is not a port number (1-65535)")
            }
            port = number
        }
        return PostgresLocation(
            host: host, port: port, username: user.removingPercentEncoding ?? user,
            password: components.password?.removingPercentEncoding, database: database, sslMode: sslMode)
    }

    /// The URL with any password replaced by `***`, for messages and logs. Works on the raw text
    /// (the credentials run from `://` to the last `@`), so a password that breaks URL parsing
    /// is hidden too.
    static func redact(_ text: String) -> String {
        guard let credentials = credentials(of: text), let colon = credentials.firstIndex(of: ":") else { return text }
        var redacted = text
        redacted.replaceSubrange(credentials.index(after: colon)..<credentials.endIndex, with: "***")
        return redacted
    }

    /// The `user:password` part of a URL's text, if it has one.
    private static func credentials(of text: String) -> Substring? {
        guard let schemeEnd = text.range(of: "://"), let at = text[schemeEnd.upperBound...].lastIndex(of: "@") else {
            return nil
        }
        return text[schemeEnd.upperBound..<at]
    }

    /// A description safe for logs: the kind and place, never the password.
    public var description: String {
        switch self {
        case .sqlite(let path): "SQLite file \(path)"
        case .postgres(let location):
            "PostgreSQL \(location.username)@\(location.place)/\(location.database)"
        }
    }
}

extension DatabaseLocation.PostgresLocation {
    /// Whether the server is reached over a Unix-domain socket (`host` is its directory).
    public var isUnixDomainSocket: Bool { host.hasPrefix("/") }

    /// Where the server is, for messages: `host:port`, or the socket's path.
    public var place: String { isUnixDomainSocket ? "\(host)/.s.PGSQL.\(port)" : "\(host):\(port)" }

    /// The driver configuration.
    /// - Throws: when the TLS context cannot be created.
    func configuration() throws -> SQLPostgresConfiguration {
        if isUnixDomainSocket {
            return SQLPostgresConfiguration(
                unixDomainSocketPath: place, username: username, password: password,
                database: database)
        }
        var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case "verify-full": tlsConfiguration.certificateVerification = .fullVerification
        case "verify-ca": tlsConfiguration.certificateVerification = .noHostnameVerification
        default: tlsConfiguration.certificateVerification = .none
        }
        let tls: PostgresConnection.Configuration.TLS =
            switch sslMode {
            case "disable": .disable
            case "allow", "prefer": .prefer(try NIOSSLContext(configuration: tlsConfiguration))
            default: .require(try NIOSSLContext(configuration: tlsConfiguration))
            }
        return SQLPostgresConfiguration(
            hostname: host, port: port, username: username, password: password, database: database, tls: tls)
    }
}
