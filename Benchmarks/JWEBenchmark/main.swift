import Crypto
import FHIR
// JWE envelope throughput on one core: encrypt (RSA-OAEP-256 + A256GCM) and decrypt of one payload
// with one RSA-2048 key. Not a test: run by Benchmarks/run-jwe-benchmark.sh, side by side with
// jwcrypto and `openssl speed rsa2048`, which bounds decrypt (one RSA private operation each).
//
// Usage: rcm-jwe-benchmark PAYLOAD.json KEY_FOLDER [SECONDS]
//   writes KEY_FOLDER/bench.private.pem and bench.public.pem (for the Python side) and prints
//   `encrypt_ops_per_second N` and `decrypt_ops_per_second N`.
import Foundation
import HCX
import _CryptoExtras

let arguments = CommandLine.arguments
guard arguments.count >= 3, let payload = FileManager.default.contents(atPath: arguments[1]) else {
    FileHandle.standardError.write(Data("usage: rcm-jwe-benchmark PAYLOAD.json KEY_FOLDER [SECONDS]\n".utf8))
    exit(64)
}
let seconds = arguments.count > 3 ? Double(arguments[3]) ?? 3 : 3
let key = try KeyDirectory(path: arguments[2]).privateKey(named: "bench")
let recipient = key.publicKey
let header: [String: JSONValue] = ["x-hcx-sender_code": .string("bench")]

/// Runs `body` repeatedly for `seconds` and returns operations per second.
func rate(_ seconds: Double, _ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    var operations = 0
    while true {
        try body()
        operations += 1
        let elapsed = clock.now - start
        let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        if elapsedSeconds >= seconds { return Double(operations) / elapsedSeconds }
    }
}

var sample = try CompactJWE.encrypt(payload, header: header, to: recipient)
let encryptRate = try rate(seconds) { sample = try CompactJWE.encrypt(payload, header: header, to: recipient) }
let decryptRate = try rate(seconds) { _ = try sample.decrypt(with: key) }
print("payload_bytes \(payload.count)")
print("encrypt_ops_per_second \(Int(encryptRate))")
print("decrypt_ops_per_second \(Int(decryptRate))")

// Where the time goes, when asked (RCM_BENCH_BREAKDOWN=1): swift-crypto's RSA-OAEP and AES-GCM alone,
// parsing, and header JSON (RCM decrypts with OpenSSL's RSA; compare `openssl speed rsa2048`).
if ProcessInfo.processInfo.environment["RCM_BENCH_BREAKDOWN"] == "1" {
    let text = sample.serialized
    let parseRate = try rate(1) { _ = try CompactJWE(text) }
    let headerRate = try rate(1) {
        _ = try JSONDecoder().decode(
            JSONValue.self, from: Data(#"{"alg":"RSA-OAEP-256","enc":"A256GCM","x":"y"}"#.utf8))
    }
    let encodeHeaderRate = try rate(1) { _ = try JSONEncoder().encode(JSONValue.object(header)) }
    let rsaKey = try _RSA.Encryption.PrivateKey(keySize: .bits2048)
    let wrapped = try rsaKey.publicKey.encrypt(Data(repeating: 7, count: 32), padding: .PKCS1_OAEP_SHA256)
    let rsaRate = try rate(1) { _ = try rsaKey.decrypt(wrapped, padding: .PKCS1_OAEP_SHA256) }
    let aesKey = SymmetricKey(size: .bits256)
    let box = try AES.GCM.seal(payload, using: aesKey)
    let aesRate = try rate(1) { _ = try AES.GCM.open(box, using: aesKey) }
    let rsaEncryptRate = try rate(1) {
        _ = try rsaKey.publicKey.encrypt(Data(repeating: 7, count: 32), padding: .PKCS1_OAEP_SHA256)
    }
    let sealRate = try rate(1) { _ = try AES.GCM.seal(payload, using: aesKey) }
    print("boringssl_rsa_oaep256_encrypt_ops_per_second \(Int(rsaEncryptRate))")
    print("aes_gcm_seal_ops_per_second \(Int(sealRate))")
    print("boringssl_rsa_oaep256_decrypt_ops_per_second \(Int(rsaRate))")
    print("aes_gcm_open_ops_per_second \(Int(aesRate))")
    print("parse_ops_per_second \(Int(parseRate))")
    print("header_json_decode_ops_per_second \(Int(headerRate))")
    print("header_json_encode_ops_per_second \(Int(encodeHeaderRate))")
}
