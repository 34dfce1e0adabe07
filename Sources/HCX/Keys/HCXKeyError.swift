/// Why a key could not be loaded or stored.
public enum HCXKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The PEM text is not a usable RSA key.
    case unreadableKey(String)
    /// The key folder or file could not be read or written.
    case storage(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadableKey(let reason): reason
        case .storage(let path, let reason): "\(path): \(reason)"
        }
    }
}
