import Vapor

/// The sizes of a request RCM accepts, one place for all routes (docs/reliability.md "Reliability").
///
/// - URL (path and query): at most ``maximumURLBytes``; longer is 414 URI Too Long.
/// - Headers: each at most ``maximumHeaderFieldBytes`` (a bearer token included), all together at
///   most ``maximumHeaderBytes``; more is 431 Request Header Fields Too Large (RFC 6585 §5).
/// - Bodies, per route: ``documentBody`` for the routes that take a claim or an encounter
///   (`POST /api/v1/encounters`, `POST /api/v1/denials/{id}/resubmit` with a correction: a
///   corrected HCX bundle is some 18 KB, a large encounter much more); `HCX_MAX_BODY_BYTES` for the
///   HCX callbacks; ``defaultBody`` for every other route. More is 413 Content Too Large.
///
/// All are answered with problem+json. A request line or header block over SwiftNIO's HTTP parser
/// limit (80 KB) is refused by the parser itself, which closes the connection before RCM sees it.
public enum RequestLimits {
    /// The longest URL, in bytes.
    public static let maximumURLBytes = 8_192
    /// The longest single header (name and value), in bytes.
    public static let maximumHeaderFieldBytes = 8_192
    /// All headers together, in bytes.
    public static let maximumHeaderBytes = 32_768
    /// The body of the routes that take a claim bundle or an encounter.
    public static let documentBody: ByteCount = "2mb"
    /// The body of every other route (Vapor's `defaultMaxBodySize`).
    public static let defaultBody: ByteCount = "64kb"
}
