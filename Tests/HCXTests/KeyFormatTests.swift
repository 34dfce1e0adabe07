import Crypto
import Foundation
import Testing
import _CryptoExtras

@testable import HCX

@Suite struct KeyFormatTests {
    static let key = try! RSAPrivateKey.generate()

    @Test func pkcs8AndPKCS1PrivateKeysLoad() throws {
        let pkcs8 = Self.key.pkcs8PEMRepresentation
        #expect(pkcs8.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let pkcs1 = Self.key.key.pemRepresentation
        #expect(pkcs1.hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        for pem in [pkcs8, pkcs1] {
            let loaded = try RSAPrivateKey(pemRepresentation: pem)
            let jwe = try CompactJWE.encrypt(Data("x".utf8), header: [:], to: Self.key.publicKey)
            #expect(try jwe.decrypt(with: loaded) == Data("x".utf8))
        }
    }

    @Test func eachWrongKeyFormatHasItsOwnMessage() throws {
        let certificate = try Self.key.selfSignedCertificatePEM(participantCode: "p@x")
        let cases: [(String, String)] = [
            (
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n",
                "passphrase-protected private keys are not supported; decrypt it first (openssl pkey -in KEY -out PLAIN)"
            ),
            (certificate, "this is a certificate or public key, not a private key"),
            (Self.key.publicKey.pemRepresentation, "this is a certificate or public key, not a private key"),
            (
                "-----BEGIN EC PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----\n",
                "a PEM 'EC PRIVATE KEY' is not an RSA private key"
            ),
            ("hello", "no PEM private key found (expected -----BEGIN PRIVATE KEY-----)"),
            (
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
                "not an RSA private key of at least 2048 bits"
            ),
        ]
        for (pem, message) in cases {
            #expect(throws: HCXKeyError.unreadableKey(message)) { try RSAPrivateKey(pemRepresentation: pem) }
        }
    }

    @Test func certificatesCarryTheKeyAndTheParticipantCode() throws {
        let pem = try Self.key.selfSignedCertificatePEM(participantCode: "provider.rcm@rcm-hcx-sandbox")
        #expect(pem.hasPrefix("-----BEGIN CERTIFICATE-----"))
        let recipient = try RSAPublicKey(certificateOrPublicKeyPEM: pem)
        let jwe = try CompactJWE.encrypt(Data("to the cert".utf8), header: [:], to: recipient)
        #expect(try jwe.decrypt(with: Self.key) == Data("to the cert".utf8))
        #expect(
            try RSAPublicKey(certificateOrPublicKeyPEM: Self.key.publicKey.pemRepresentation).pemRepresentation
                == Self.key.publicKey.pemRepresentation)
        #expect(
            throws: HCXKeyError.unreadableKey("this is a private key; give the recipient's certificate or public key")
        ) {
            try RSAPublicKey(certificateOrPublicKeyPEM: Self.key.pkcs8PEMRepresentation)
        }
        #expect(throws: HCXKeyError.unreadableKey("not an X.509 certificate in PEM form (BEGIN CERTIFICATE)")) {
            try RSAPublicKey(certificatePEM: "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
        }
        let ecKey = P256.Signing.PrivateKey()
        #expect(throws: HCXKeyError.unreadableKey("not an RSA public key of at least 2048 bits in PEM form")) {
            try RSAPublicKey(certificateOrPublicKeyPEM: ecKey.publicKey.pemRepresentation)
        }
    }

    @Test func aKeyFolderReusesWhatItGenerated() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rcm-keys-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let keys = KeyDirectory(path: folder.path)
        let certificate = try keys.certificatePEM(named: "payer", participantCode: "payer@x")
        #expect(try keys.certificatePEM(named: "payer", participantCode: "payer@x") == certificate)
        let key = try keys.privateKey(named: "payer")
        let jwe = try CompactJWE.encrypt(Data("k".utf8), header: [:], to: try RSAPublicKey(certificatePEM: certificate))
        #expect(try jwe.decrypt(with: key) == Data("k".utf8))
        try Data("garbage".utf8).write(to: folder.appendingPathComponent("payer.private.pem"))
        #expect(
            throws: HCXKeyError.storage(
                path: folder.appendingPathComponent("payer.private.pem").path,
                reason: "not a usable RSA private key (replace or remove the file)")
        ) {
            try keys.privateKey(named: "payer")
        }
    }

    @Test func timestampsAreCheckedAsTheGatewayDoes() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        func headers(_ timestamp: String) -> HCXHeaders {
            HCXHeaders(senderCode: "a", recipientCode: "b", correlationID: "c", timestamp: timestamp)
        }
        #expect(throws: Never.self) { try headers(HCXTimestamp.string(from: now)).checkTimestamp(now: now) }
        #expect(throws: Never.self) { try headers("1799999999000").checkTimestamp(now: now) }
        #expect(
            throws: HCXProtocolError(.invalidTimestamp, "x-hcx-timestamp 'yesterday' is not ISO 8601 with an offset")
        ) {
            try headers("yesterday").checkTimestamp(now: now)
        }
        let future = HCXTimestamp.string(from: now.addingTimeInterval(3600))
        #expect(throws: HCXProtocolError(.invalidTimestamp, "x-hcx-timestamp '\(future)' is in the future")) {
            try headers(future).checkTimestamp(now: now)
        }
    }
}
