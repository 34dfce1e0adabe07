import Crypto
import Foundation

/// Where the access tokens' signing key comes from: `RCM_JWT_SIGNING_KEY` (at least 32 bytes;
/// every replica must share it: in Kubernetes, from the Secret), or — for a single machine — a
/// random key generated once into `<RCM_KEYS_DIR>/jwt-signing.key` (mode 0600).
public enum SigningKeySource {
    public static let minimumBytes = 32

    /// The key text.
    /// - Throws: ``SecurityError/signingKey(_:)`` for a short key or an unwritable key folder.
    public static func key(configured: String?, keysDirectory: String) throws -> String {
        if let configured {
            guard configured.utf8.count >= minimumBytes else {
                throw SecurityError.signingKey("at least \(minimumBytes) bytes of secret; got \(configured.utf8.count)")
            }
            return configured
        }
        let path = (keysDirectory as NSString).appendingPathComponent("jwt-signing.key")
        if let text = try? String(contentsOfFile: path, encoding: .utf8), text.utf8.count >= minimumBytes {
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
        do {
            try FileManager.default.createDirectory(atPath: keysDirectory, withIntermediateDirectories: true)
            guard
                FileManager.default.createFile(
                    atPath: path, contents: Data((secret + "\n").utf8), attributes: [.posixPermissions: 0o600])
            else { throw CocoaError(.fileWriteNoPermission) }
        } catch {
            throw SecurityError.signingKey("not set, and \(path) cannot be written: \(error)")
        }
        return secret
    }
}
