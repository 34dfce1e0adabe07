/// JWE key-management algorithms HCX participants use (RFC 7518 §4.3).
///
/// RCM encrypts with `RSA-OAEP-256` and accepts both on decrypt: the Java SDK and NHCX send
/// `RSA-OAEP-256`, the Python and JS SDKs `RSA-OAEP` (docs reference/hcx-protocol.md §3.1).
public enum JWEAlgorithm: String, Sendable, CaseIterable {
    /// RSAES-OAEP with SHA-256 and MGF1-SHA-256.
    case rsaOAEP256 = "RSA-OAEP-256"
    /// RSAES-OAEP with SHA-1 and MGF1-SHA-1 (the HCX spec text's value).
    case rsaOAEP = "RSA-OAEP"
}
