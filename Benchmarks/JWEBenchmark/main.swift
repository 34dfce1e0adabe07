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
