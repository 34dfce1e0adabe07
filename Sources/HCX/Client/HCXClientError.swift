/// Why an HCX call did not get a 202 acknowledgement.
public struct HCXClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The failure category.
    public enum Kind: Sendable, Hashable {
        /// The server could not be reached or the connection failed (retryable).
        case transport
        /// The server answered with an error status; `code` holds the HCX error code if sent.
        case rejected(status: Int, code: HCXErrorCode?)
    }

    public let kind: Kind
    public let message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// Whether retrying the same call may succeed: transport failures and 5xx, and 429
    /// (HCX dispatcher rules: 400/401/403/404 are final; docs reference/hcx-protocol.md §4.3).
    public var isRetryable: Bool {
        switch kind {
        case .transport: true
        case .rejected(let status, _): status >= 500 || status == 429
        }
    }

    public var description: String { message }
}
