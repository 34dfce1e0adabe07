import Logging
import RCMCore

/// Wraps a log handler and blanks the metadata that database libraries attach to their debug
/// lines with the values of a query — SQLKit's `binds`, FluentKit's `input` and `filters` — so
/// that no patient data (names, birth dates, member ids, claim bundles) reaches a log line at any
/// level, and escapes control characters in the message and every value, so that no input can
/// forge a line. `rcm` wraps every handler it installs (standard error text or JSON lines) in it.
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
        // No value can start a line of its own (log injection): control characters are escaped.
        event.message = "\(InputText.escaped(event.message.description))"
        event.metadata = event.metadata?.mapValues(Self.escaped)
        base.log(event: event)
    }

    /// A metadata value with the control characters of its text escaped (``RCMCore/InputText/escaped(_:)``).
    static func escaped(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(InputText.escaped(text))
        case .stringConvertible(let value): .string(InputText.escaped(value.description))
        case .array(let values): .array(values.map(escaped))
        case .dictionary(let values): .dictionary(values.mapValues(escaped))
        }
    }
}
