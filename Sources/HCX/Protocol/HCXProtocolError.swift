/// A protocol-level failure with its HCX error code, as a gateway or recipient reports it.
public struct HCXProtocolError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The `ERR_*` code.
    public let code: HCXErrorCode
    /// What is wrong, naming the header or part at fault.
    public let message: String

    /// Creates the error.
    public init(_ code: HCXErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
