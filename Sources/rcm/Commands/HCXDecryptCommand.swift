import ArgumentParser
import FHIR
import Foundation
import HCX

/// `rcm hcx decrypt --key KEY.pem [FILE|-]`: opens an HCX message — a body `{"payload": …}` or a
/// bare compact JWE — and prints `{"headers": {…}, "payload": …}` as JSON (the payload as JSON when
/// it is, else as text).
struct HCXDecryptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decrypt", abstract: "Decrypt an HCX message; prints its protected headers and payload as JSON.")

    @ArgumentParser.Option(help: "Our private key, PEM (PKCS#8 or PKCS#1).")
    var key: String

    @ArgumentParser.Argument(help: "The message: {\"payload\": …} or a compact JWE; - or nothing for standard input.")
    var file: String = "-"

    func run() async throws {
        let privateKey = try OperatorFiles.read(key, as: "private key") { try RSAPrivateKey(pemRepresentation: $0) }
        let text = String(decoding: try OperatorFiles.data(file), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let body =
            (try? JSONDecoder().decode(HCXRequestBody.self, from: Data(text.utf8))) ?? HCXRequestBody(payload: text)
        do {
            let envelope = try HCXEnvelope(body: body)
            let plaintext = try envelope.open(with: privateKey)
            let payload =
                (try? JSONValue(parsing: plaintext))
                ?? .string(String(decoding: plaintext, as: UTF8.self))
            let output = JSONValue.object(["headers": .object(envelope.jwe.protectedHeader), "payload": payload])
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(output), as: UTF8.self))
        } catch let error as HCXProtocolError {
            throw OperatorError(error.description)
        }
    }
}
