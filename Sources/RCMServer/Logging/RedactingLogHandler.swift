import Logging

/// Wraps a log handler and blanks the metadata that database libraries attach to their debug
/// lines with the values of a query — SQLKit's `binds`, FluentKit's `input` and `filters` — so
/// that no patient data (names, birth dates, member ids, claim bundles) reaches a log line at any
/// level. `rcm` wraps every handler it installs (standard error text or JSON lines) in it.
public struct RedactingLogHandler: LogHandler {
    /// The metadata keys whose values are replaced by `[redacted]`.
    public static let redactedKeys: Set<String> = ["binds", "input", "filters"]

    var base: any LogHandler

    public init(_ base: any LogHandler) { self.base = base }

    public var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    public var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        for key in Self.redactedKeys where event.metadata?[key] != nil { event.metadata?[key] = "[redacted]" }
        base.log(event: event)
    }
}
