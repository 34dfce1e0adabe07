import FHIR
import Foundation
import Testing

@Suite struct JSONValueWritingTests {
    @Test func compactJSONSortsKeysAndHasNoWhitespace() {
        let value = JSONValue.object([
            "zip": .null, "alg": .string("RSA-OAEP-256"), "n": .number(Decimal(string: "-12.50")!),
            "list": .array([.bool(true), .bool(false), .object([:]), .array([])]),
        ])
        #expect(
            String(decoding: value.compactUTF8, as: UTF8.self)
                == #"{"alg":"RSA-OAEP-256","list":[true,false,{},[]],"n":-12.5,"zip":null}"#)
    }

    @Test func stringsAreEscapedAndReadBackUnchanged() throws {
        let strings = [
            "plain", "quote \" and backslash \\", "line\nfeed\r\ttab", "bell\u{7} nul\u{0} unit\u{1F}", "slash /",
            "रोगी नाम", "emoji 🩺", "", "\u{7F} delete",
        ]
        for string in strings {
            let value = JSONValue.object(["x-hcx-note": .string(string), "nested": .array([.string(string)])])
            let bytes = value.compactUTF8
            #expect(try JSONDecoder().decode(JSONValue.self, from: Data(bytes)) == value, "\(string)")
            #expect(!bytes.contains { $0 < 0x20 }, "a control character must be escaped: \(string)")
        }
        #expect(String(decoding: JSONValue.string("a\u{1}b").compactUTF8, as: UTF8.self) == #""a\u0001b""#)
    }
}
