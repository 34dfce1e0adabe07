/// A code-set data file that cannot be used.
public enum CodeSetError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case missing(String)

    public var description: String {
        switch self {
        case .malformed(let reason): "code-set data: \(reason)"
        case .missing(let reason): "code-set data: \(reason)"
        }
    }
}
