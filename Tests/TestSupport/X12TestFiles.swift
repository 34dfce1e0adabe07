import Foundation
import X12

/// X12 files written in tests: bodies as text, one segment per line, enveloped by RCM's writer.
public enum X12TestFiles {
    /// The segments of `body` (one per line, `*` elements, `:` components, `~` at the end).
    public static func segments(_ body: String) -> [X12Segment] {
        body.split(separator: "\n").map { line in
            let text = line.hasSuffix("~") ? String(line.dropLast()) : String(line)
            let parts = text.split(separator: "*", omittingEmptySubsequences: false)
            return X12Segment(
                String(parts[0]),
                elements: parts.dropFirst().map {
                    $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                })
        }
    }

    /// An interchange holding one 835 (005010X221A1) set with `body` between ST and SE.
    public static func remittance(_ body: String, controlNumber: Int = 101) throws -> String {
        try X12Writer(sender: .init(id: "DEMO1"), receiver: .init(id: "SUB12345"), usage: "T").interchange(
            functionalID: "HP", version: "005010X221A1", interchangeControlNumber: controlNumber,
            groupControlNumber: controlNumber, sets: [("835", "0001", segments(body))], conventionReference: false,
            date: Date(timeIntervalSince1970: 1_796_500_000), timeZone: TimeZone(identifier: "America/Chicago")!)
    }

    /// An interchange holding one 999 (005010X231A1) set with `body` between ST and SE.
    public static func acknowledgment(_ body: String, controlNumber: Int = 7) throws -> String {
        try X12Writer(sender: .init(id: "CH99999"), receiver: .init(id: "SUB12345"), usage: "T").interchange(
            functionalID: "FA", version: "005010X231A1", interchangeControlNumber: controlNumber,
            groupControlNumber: controlNumber, sets: [("999", "0001", segments(body))],
            date: Date(timeIntervalSince1970: 1_796_500_000), timeZone: TimeZone(identifier: "UTC")!)
    }
}
