import ArgumentParser
import FHIR
import Foundation
import HCX

/// `rcm hcx encrypt --cert CERT.pem --sender CODE --recipient CODE [FILE|-]`: seals a FHIR resource
/// as an HCX request body `{"payload": "<compact JWE>"}` (RSA-OAEP-256 + A256GCM, HCX headers in
/// the protected header).
struct HCXEncryptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encrypt",
        abstract: "Encrypt a FHIR resource to a recipient; prints {\"payload\": \"<compact JWE>\"}.")

    @ArgumentParser.Option(help: "The recipient's X.509 certificate (or RSA public key), PEM.")
    var cert: String

    @ArgumentParser.Option(help: "x-hcx-sender_code: our participant code.")
    var sender: String

    @ArgumentParser.Option(help: "x-hcx-recipient_code: the recipient's participant code.")
    var recipient: String

    @ArgumentParser.Option(name: .customLong("correlation-id"), help: "x-hcx-correlation_id (default: a new UUID).")
    var correlationID: String?

    @ArgumentParser.Option(name: .customLong("workflow-id"), help: "x-hcx-workflow_id (optional).")
    var workflowID: String?

    @ArgumentParser.Argument(help: "The FHIR resource (JSON) to encrypt; - or nothing for standard input.")
    var file: String = "-"

    func run() async throws {
        let recipientKey = try OperatorFiles.read(cert, as: "certificate") {
            try RSAPublicKey(certificateOrPublicKeyPEM: $0)
        }
        let resource = try OperatorFiles.data(file)
        guard (try? JSONValue(parsing: resource)) != nil else {
            throw OperatorError("\(HCXErrorCode.invalidPayload): \(file == "-" ? "standard input" : file) is not JSON")
        }
        let headers = HCXHeaders(
            senderCode: sender, recipientCode: recipient,
            correlationID: correlationID ?? UUID().uuidString.lowercased(),
            workflowID: workflowID, timestamp: HCXTimestamp.string(from: Date()))
        let envelope = try HCXEnvelope.seal(resource, headers: headers, to: recipientKey)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(envelope.body), as: UTF8.self))
    }
}
