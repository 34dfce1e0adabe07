import Foundation

/// How a payer's claims travel (`payer_configs.transport`): over HCX (the default: FHIR bundles in
/// JWE envelopes to the gateway, answers by callback), or as ASC X12 5010 files — an 837P per
/// claim written to the clearinghouse's drop folder, 999 acknowledgments and 835 remittances read
/// from the inbox (`../shared/docs/reference/x12.md`).
public enum PayerTransport: Sendable, Hashable {
    case hcx
    case x12(X12Receiver)

    /// The name stored and shown: `hcx` or `x12`.
    public var name: String {
        switch self {
        case .hcx: "hcx"
        case .x12: "x12"
        }
    }

    /// Who receives a payer's X12 claims and how the payer is named in them.
    public struct X12Receiver: Sendable, Hashable {
        /// ISA08 and GS03, and NM109 of loop 1000B: the receiver's interchange id (the
        /// clearinghouse's, or the payer's when it takes files itself), 2–15 characters.
        public let receiverID: String
        /// NM103 of loop 1000B: the receiver's name, 1–60 characters.
        public let receiverName: String
        /// NM109 of loop 2010BB (qualifier `PI`): the payer id the receiver routes claims by,
        /// 2–80 characters.
        public let payerID: String

        /// - Throws: ``PayerTransportError`` naming the field that breaks the X12 element's size or
        ///   character rules (printable ASCII, less the separators RCM writes, `*` `:` `^` `~`).
        public init(receiverID: String, receiverName: String, payerID: String) throws {
            self.receiverID = try Self.checked(receiverID, field: "receiver id", length: 2...15)
            self.receiverName = try Self.checked(receiverName, field: "receiver name", length: 1...60)
            self.payerID = try Self.checked(payerID, field: "payer id", length: 2...80)
        }

        private static func checked(_ value: String, field: String, length: ClosedRange<Int>) throws -> String {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            guard length.contains(trimmed.count) else {
                throw PayerTransportError(
                    "\(field) must be \(length.lowerBound)–\(length.upperBound) characters, got \(trimmed.count)")
            }
            let separators: Set<Character> = ["*", ":", "^", "~"]
            guard
                trimmed.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) })
                    && !trimmed.contains(where: separators.contains)
            else {
                throw PayerTransportError(
                    "\(field) '\(trimmed)' holds a character X12 cannot carry (non-ASCII, a control character, * : ^ or ~)"
                )
            }
            return trimmed
        }
    }
}

/// A payer transport setting that cannot be used, with a message naming the field.
public struct PayerTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
