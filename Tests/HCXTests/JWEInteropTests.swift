import FHIR
import Foundation
import TestSupport
import Testing

@testable import HCX

/// Checks the JWE against jwcrypto, an independent JOSE implementation, in both directions and
/// with both key-management algorithms. Runs when `RCM_JWCRYPTO_PYTHON` names a Python that has
/// the pinned `Tests/Interop/requirements.txt` (`.ci/run` sets it up).
@Suite(.enabled(if: JWCryptoPeer.python != nil)) struct JWEInteropTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Interop/jwe_peer.py").path

    let plaintext = #"{"resourceType":"Bundle","type":"collection","note":"₹ 146,000.50 — paise intact"}"#

    @Test(arguments: JWEAlgorithm.allCases)
    func jwcryptoDecryptsWhatSwiftEncrypts(_ algorithm: JWEAlgorithm) async throws {
        let keys = try KeyFiles()
        let jwe = try CompactJWE.encrypt(
            Data(plaintext.utf8), header: ["x-hcx-correlation_id": .string("c-42")], to: keys.key.publicKey,
            algorithm: algorithm)
        let output = try await Self.peer(["decrypt", "--private", keys.privatePath], input: jwe.serialized)
        struct Decrypted: Decodable {
            let header: [String: String]
            let plaintext: String
        }
        let decrypted = try JSONDecoder().decode(Decrypted.self, from: Data(output.utf8))
        #expect(decrypted.plaintext == plaintext)
        #expect(decrypted.header["alg"] == algorithm.rawValue)
        #expect(decrypted.header["x-hcx-correlation_id"] == "c-42")
    }

    @Test(arguments: JWEAlgorithm.allCases)
    func swiftDecryptsWhatJwcryptoEncrypts(_ algorithm: JWEAlgorithm) async throws {
        let keys = try KeyFiles()
        let token = try await Self.peer(
            [
                "encrypt", "--public", keys.publicPath, "--alg", algorithm.rawValue, "--header",
                #"{"x-hcx-status":"response.complete"}"#,
            ],
            input: plaintext
        ).trimmingCharacters(in: .whitespacesAndNewlines)
        let jwe = try CompactJWE(token)
        #expect(jwe.protectedHeader["x-hcx-status"] == .string("response.complete"))
        #expect(String(decoding: try jwe.decrypt(with: keys.key), as: UTF8.self) == plaintext)
    }

    @Test func jwcryptoRefusesATamperedSwiftToken() async throws {
        let keys = try KeyFiles()
        let jwe = try CompactJWE.encrypt(Data(plaintext.utf8), header: [:], to: keys.key.publicKey)
        var parts = jwe.serialized.split(separator: ".").map(String.init)
        parts[4] = String(parts[4].reversed())
        await #expect(throws: PeerFailed.self) {
            try await Self.peer(["decrypt", "--private", keys.privatePath], input: parts.joined(separator: "."))
        }
    }

    struct PeerFailed: Error {}

    /// A fresh key pair written as PEM files for the peer.
    struct KeyFiles {
        let key: RSAPrivateKey
        let privatePath: String
        let publicPath: String

        init() throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rcm-jwe-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            key = try KeyDirectory(path: folder.path).privateKey(named: "peer")
            privatePath = folder.appendingPathComponent("peer.private.pem").path
            publicPath = folder.appendingPathComponent("peer.public.pem").path
        }
    }

    @discardableResult
    static func peer(_ arguments: [String], input: String) async throws -> String {
        let finished = try await ChildProcess.run(
            URL(fileURLWithPath: JWCryptoPeer.python!), arguments: [script] + arguments, input: Data(input.utf8))
        guard finished.status == 0 else { throw PeerFailed() }
        return String(decoding: finished.stdout, as: UTF8.self)
    }
}

/// Where the jwcrypto peer's Python is (`RCM_JWCRYPTO_PYTHON`), if configured.
enum JWCryptoPeer {
    static let python = ProcessInfo.processInfo.environment["RCM_JWCRYPTO_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
}
