import FHIR
import Foundation
import TestSupport
import Testing

@testable import HCX

@Suite struct CompactJWETests {
    static let key = try! RSAPrivateKey.generate()
    let plaintext = Data(#"{"resourceType":"Bundle","type":"collection","entry":[]}"#.utf8)

    @Test(arguments: JWEAlgorithm.allCases)
    func roundTripKeepsThePlaintextAndHeaders(_ algorithm: JWEAlgorithm) throws {
        let jwe = try CompactJWE.encrypt(
            plaintext, header: ["x-hcx-api_call_id": .string("a-1")], to: Self.key.publicKey, algorithm: algorithm)
        #expect(jwe.serialized.split(separator: ".").count == 5)
        #expect(jwe.protectedHeader["alg"] == .string(algorithm.rawValue))
        #expect(jwe.protectedHeader["enc"] == .string("A256GCM"))
        #expect(jwe.protectedHeader["x-hcx-api_call_id"] == .string("a-1"))
        let parsed = try CompactJWE(jwe.serialized)
        #expect(try parsed.decrypt(with: Self.key) == plaintext)
    }

    @Test func tamperingIsDetected() throws {
        let jwe = try CompactJWE.encrypt(plaintext, header: [:], to: Self.key.publicKey)
        var parts = jwe.serialized.split(separator: ".").map(String.init)
        // Change the protected header (the AAD): authentication must fail.
        let header = Base64URL.encode(Data(#"{"alg":"RSA-OAEP-256","enc":"A256GCM","x":1}"#.utf8))
        parts[0] = header
        let altered = try CompactJWE(parts.joined(separator: "."))
        #expect(throws: JWEError(.decryptionFailed, "the content failed authentication (altered or wrong key)")) {
            try altered.decrypt(with: Self.key)
        }
        // Flip one ciphertext character.
        var ciphertext = Array(jwe.serialized.split(separator: ".")[3])
        ciphertext[0] = ciphertext[0] == "A" ? "B" : "A"
        var flipped = jwe.serialized.split(separator: ".").map(String.init)
        flipped[3] = String(ciphertext)
        #expect(throws: JWEError.self) { try CompactJWE(flipped.joined(separator: ".")).decrypt(with: Self.key) }
    }

    @Test func aWrongKeyDoesNotOpenIt() throws {
        let jwe = try CompactJWE.encrypt(plaintext, header: [:], to: Self.key.publicKey)
        #expect(throws: JWEError(.decryptionFailed, "the encrypted key does not open with our private key")) {
            try jwe.decrypt(with: try RSAPrivateKey.generate())
        }
    }

    @Test func malformedInputIsNamed() {
        #expect(throws: JWEError(.malformed, "a compact JWE has 5 dot-separated parts, this has 3")) {
            try CompactJWE("a.b.c")
        }
        #expect(throws: JWEError(.malformed, "the encrypted key is empty")) { try CompactJWE("eyJhIjoxfQ..aa.bb.cc") }
        #expect(throws: JWEError(.malformed, "the protected header is not base64url")) {
            try CompactJWE("e+/=.aa.bb.cc.dd")
        }
        #expect(throws: JWEError(.malformed, "the protected header is not a JSON object")) {
            try CompactJWE("\(Base64URL.encode(Data("[1]".utf8))).aa.bb.cc.dd")
        }
    }

    @Test func unsupportedAlgorithmsAreRefused() throws {
        let header = Base64URL.encode(Data(#"{"alg":"dir","enc":"A256GCM"}"#.utf8))
        let jwe = try CompactJWE("\(header).aa.bb.cc.dd")
        #expect(throws: JWEError(.unsupportedAlgorithm, "alg 'dir' is not RSA-OAEP-256 or RSA-OAEP")) {
            try jwe.decrypt(with: Self.key)
        }
    }

    @Test func theRealStagingEnvelopeHasTheHCXHeaders() throws {
        let url = try SharedSamples.url("jwe_outgoing_claim_rsa_oaep_with_gateway_ack.json")
        struct Fixture: Decodable {
            let payload: String
            let response: HCXAcknowledgement
        }
        let fixture = try JSONDecoder().decode(Fixture.self, from: try Data(contentsOf: url))
        let envelope = try HCXEnvelope(body: HCXRequestBody(payload: fixture.payload))
        #expect(envelope.jwe.protectedHeader["alg"] == .string("RSA-OAEP"))
        #expect(envelope.headers.senderCode == "testprovider1.swasthmock@swasth-hcx-staging")
        #expect(envelope.headers.recipientCode == "testpayor1.swasthmock@swasth-hcx-staging")
        #expect(envelope.headers.timestamp == "2023-08-17T18:43:48+05:30")
        #expect(fixture.response.timestamp == 1_692_278_029_019)
        #expect(fixture.response.correlationID == envelope.headers.correlationID)
        #expect(fixture.response.apiCallID == envelope.headers.apiCallID)
        // The published test key is not provided: our key must not open it.
        #expect(throws: HCXProtocolError.self) { try envelope.open(with: Self.key) }
    }
}

@Suite struct IncomingSampleTests {
    /// The Python SDK's `processIncoming` output for a real staging claim: its decoded headers read
    /// as our `HCXHeaders`, its payload as a claim bundle, its ack as our acknowledgement.
    @Test func theSDKsDecryptedOutputReadsAsOurTypes() throws {
        let url = try SharedSamples.url("jwe_incoming_claim_decrypted_output.json")
        let sample = try JSONDecoder().decode(JSONValue.self, from: try Data(contentsOf: url))
        guard case .object(let headerMembers)? = sample["headers"] else {
            Issue.record("no headers object")
            return
        }
        let headers = try HCXHeaders(protectedHeader: headerMembers)
        #expect(headers.senderCode == "testprovider1.swasthmock@swasth-hcx-staging")
        #expect(headers.correlationID == "277fb6d0-a63e-4885-a8d0-67672f6ee6e9")
        #expect(HCXTimestamp.date(from: headers.timestamp) == Date(timeIntervalSince1970: 1_692_278_028))
        let ack = try sample["responseObj"].map { try $0.decode(as: HCXAcknowledgement.self) }
        #expect(ack?.timestamp == 1_692_279_039_752)
        #expect(ack?.apiCallID == headers.apiCallID)
        let claim = try ClaimBundle(json: try #require(sample["payload"])).claim.toDomain()
        #expect(claim.billedTotal.description == "INR 146000.00")
        #expect(claim.lines.count == 13)
    }
}
