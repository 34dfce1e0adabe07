/// What a PEM text holds, by its first `-----BEGIN …-----` label (RFC 7468), so that a wrong file
/// gets an error naming what it is instead of a parser failure.
enum PEMKind: Equatable {
    case certificate
    case publicKey
    case privateKey
    case encryptedPrivateKey
    /// Another label, or no PEM block at all (`nil`).
    case unknown(String?)

    init(_ pem: String) {
        guard let begin = pem.range(of: "-----BEGIN "),
            let end = pem[begin.upperBound...].range(of: "-----")
        else {
            self = .unknown(nil)
            return
        }
        switch pem[begin.upperBound..<end.lowerBound] {
        case "CERTIFICATE": self = .certificate
        case "PUBLIC KEY", "RSA PUBLIC KEY": self = .publicKey
        case "PRIVATE KEY", "RSA PRIVATE KEY": self = .privateKey
        case "ENCRYPTED PRIVATE KEY": self = .encryptedPrivateKey
        case let label: self = .unknown(String(label))
        }
    }
}
