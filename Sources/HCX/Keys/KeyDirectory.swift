import Foundation

/// A folder of participant key pairs: `<name>.private.pem` (PKCS#8), `<name>.public.pem` (SPKI) and
/// `<name>.cert.pem` (a self-signed X.509 certificate), generated on first use and reused
/// afterwards (`RCM_KEYS_DIR`, default `./.rcm/keys`).
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

    /// The self-signed certificate for `name`'s key, created (with the key, if needed) on first
    /// use with `participantCode` as its common name.
    /// - Returns: the certificate in PEM form.
    /// - Throws: ``HCXKeyError`` when the folder cannot be written or a stored file is unreadable.
    public func certificatePEM(named name: String, participantCode: String) throws -> String {
        let certificateURL = url.appendingPathComponent("\(name).cert.pem")
        let key = try privateKey(named: name)
        if let stored = FileManager.default.contents(atPath: certificateURL.path) {
            let pem = String(decoding: stored, as: UTF8.self)
            do {
                _ = try RSAPublicKey(certificatePEM: pem)
            } catch {
                throw HCXKeyError.storage(path: certificateURL.path, reason: "\(error) (replace or remove the file)")
            }
            return pem
        }
        let pem = try key.selfSignedCertificatePEM(participantCode: participantCode)
        do {
            try Data(pem.utf8).write(to: certificateURL, options: .atomic)
        } catch {
            throw HCXKeyError.storage(path: certificateURL.path, reason: "cannot write (\(error.localizedDescription))")
        }
        return pem
    }
}
