import Foundation

/// A folder of participant key pairs: `<name>.private.pem` (PKCS#8) and `<name>.public.pem` (SPKI),
/// generated on first use and reused afterwards (`RCM_KEYS_DIR`, default `./.rcm/keys`).
///
/// Private key files are written with mode 0600 and the folder with 0700.
public struct KeyDirectory: Sendable {
    /// The folder.
    public let url: URL

    /// A key directory at `path` (created when first needed).
    public init(path: String) {
        self.url = URL(fileURLWithPath: path, isDirectory: true)
    }

    /// The private key for `name`, generating and saving a new 2048-bit pair when none exists.
    /// - Throws: ``HCXKeyError`` when the folder cannot be written or a stored key is unreadable.
    public func privateKey(named name: String) throws -> RSAPrivateKey {
        let privateURL = url.appendingPathComponent("\(name).private.pem")
        let publicURL = url.appendingPathComponent("\(name).public.pem")
        let files = FileManager.default
        if files.fileExists(atPath: privateURL.path) {
            let pem: String
            do {
                pem = try String(contentsOf: privateURL, encoding: .utf8)
            } catch {
                throw HCXKeyError.storage(path: privateURL.path, reason: "cannot read (\(error.localizedDescription))")
            }
            do {
                return try RSAPrivateKey(pemRepresentation: pem)
            } catch {
                throw HCXKeyError.storage(
                    path: privateURL.path, reason: "not a usable RSA private key (replace or remove the file)")
            }
        }
        let key = try RSAPrivateKey.generate()
        do {
            try files.createDirectory(
                at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let temporary = url.appendingPathComponent(".\(name).private.pem.\(UUID().uuidString)")
            try Data(key.pkcs8PEMRepresentation.utf8).write(to: temporary)
            try files.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary.path)
            try Data(key.publicKey.pemRepresentation.utf8).write(to: publicURL, options: .atomic)
            // Publish the private key last, by rename, so a crash never leaves half a key behind.
            if rename(temporary.path, privateURL.path) != 0 {
                throw HCXKeyError.storage(path: privateURL.path, reason: "cannot rename into place")
            }
        } catch let error as HCXKeyError {
            throw error
        } catch {
            throw HCXKeyError.storage(path: url.path, reason: "cannot write keys (\(error.localizedDescription))")
        }
        return key
    }
}
