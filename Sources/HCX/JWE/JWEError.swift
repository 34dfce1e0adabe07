/// Why a compact JWE could not be read or opened.
public struct JWEError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong, in protocol terms.
    public enum Kind: Sendable, Equatable {
        /// Not five non-empty base64url parts, or a header that is not a JSON object
        /// (HCX `ERR_INVALID_PAYLOAD`).
        case malformed
        /// `alg`/`enc` other than RSA-OAEP(-256) + A256GCM, or compression requested
        /// (HCX `ERR_INVALID_ENCRYPTION`).
        case unsupportedAlgorithm
        /// The key does not open it or the content was altered (HCX `ERR_INVALID_ENCRYPTION`).
        case decryptionFailed
        /// Sending: the recipient's key could not wrap the content key (HCX `ERR_INVALID_ENCRYPTION`).
        case encryptionFailed
    }

    /// The kind of failure.
    public let kind: Kind
    /// A message naming the part at fault.
    public let message: String

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
