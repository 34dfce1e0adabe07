import FHIR
import Foundation
import TestSupport
import Testing

/// ``JSONValue/init(parsing:)`` gives what `JSONDecoder().decode(JSONValue.self, from:)` gives
/// (the route it replaced on hot paths), and refuses what it refuses, naming where.
@Suite struct JSONValueParsingTests {
    private func decoded(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test func readsTheSameValuesAsJSONDecoder() throws {
        let texts = [
            #"{"a":1,"b":[true,false,null],"c":{"d":"e"},"n":-12.50,"x":1e3,"y":2.5E-3,"z":0}"#,
            #"  [ 1 , "two" , { } , [ ] , 0.1 , -0 , 123456789012345678901234567890 ]  "#,
            #""quote \" backslash \\ slash \/ \b\f\n\r\t \u00e9 \u20AC \uD83E\uDE7A""#,
            #"{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Claim","total":{"value":1500.75}}}]}"#,
            #"{"dup":1,"dup":2}"#, "true", "null", "42", #""रोगी नाम 🩺""#, "\n\t{\r\n}\n",
        ]
        for text in texts {
            #expect(try JSONValue(parsing: text) == decoded(text), "\(text)")
            #expect(try JSONValue(parsing: Data(text.utf8)) == decoded(text), "\(text)")
        }
    }

    @Test func numbersAreExact() throws {
        #expect(try JSONValue(parsing: "0.1") == .number(Decimal(string: "0.1")!))
        #expect(try JSONValue(parsing: "1500.75") == .number(Decimal(string: "1500.75")!))
        #expect(try JSONValue(parsing: "-9223372036854775809") == .number(Decimal(string: "-9223372036854775809")!))
    }

    @Test func everyFileInTheRepositorySamplesReadsTheSame() throws {
        let folder = SharedSamples.repositoryRoot.appendingPathComponent("samples")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
        #expect(files.count >= 4)
        for file in files {
            let data = try Data(contentsOf: folder.appendingPathComponent(file))
            #expect(try JSONValue(parsing: data) == JSONDecoder().decode(JSONValue.self, from: data), "\(file)")
        }
    }

    @Test func theSharedHCXSamplesReadTheSame() throws {
        let folder = try SharedSamples.requireFolder()
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        var count = 0
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "json", let data = try? Data(contentsOf: url),
                let expected = try? JSONDecoder().decode(JSONValue.self, from: data)
            else { continue }
            #expect(try JSONValue(parsing: data) == expected, "\(url.lastPathComponent)")
            count += 1
        }
        #expect(count > 0)
    }

    @Test func refusesWhatJSONDecoderRefusesAndSaysWhere() throws {
        let bad: [(String, String)] = [
            ("", "unexpected end of data at byte 0"),
            (#"{"a":1"#, "unexpected end of data at byte 6"),
            (#"{"a" 1}"#, "expected ':' after member name at byte 5"),
            (#"{a:1}"#, "expected a member name in quotes at byte 1"),
            ("[1,]", "unexpected character ']' at byte 3"),
            ("01", "a number with a leading zero at byte 1"),
            ("1.", "expected a digit after '.' at byte 2"),
            ("+1", "unexpected character '+' at byte 0"),
            ("tru", "expected true at byte 0"),
            (#""a\x""#, #"invalid escape '\x' at byte 3"#),
            ("\"line\nbreak\"", "control character in a string at byte 5"),
            (#""\uD83E""#, "a high surrogate without its low surrogate at byte 7"),
            ("{} {}", "unexpected text after the value at byte 3"),
            ("1e999", "a number beyond the decimal range at byte 0"),
            (String(repeating: "[", count: 600) + String(repeating: "]", count: 600), "nested more than 512 deep"),
        ]
        for (text, message) in bad {
            // JSONDecoder lets a trailing comma through; RFC 8259 §5 does not.
            #expect((try? decoded(text)) == nil || text == "[1,]", "JSONDecoder reads \(text.prefix(20))")
            do {
                _ = try JSONValue(parsing: text)
                Issue.record("read \(text.prefix(20))")
            } catch DecodingError.dataCorrupted(let context) {
                #expect(context.debugDescription.hasPrefix("The given data was not valid JSON: "))
                #expect(context.debugDescription.contains(message), "\(context.debugDescription)")
            }
        }
        // Bytes that are not UTF-8 inside a string.
        #expect(throws: DecodingError.self) { try JSONValue(parsing: Data([0x22, 0xFF, 0xFE, 0x22])) }
    }

    @Test func aValueWrittenCompactlyReadsBackEqual() throws {
        let value = JSONValue.object([
            "text": .string("tab\t nul\u{0} é 🩺"), "list": .array([.number(Decimal(string: "-0.001")!), .null]),
            "flag": .bool(true), "nested": .object(["empty": .object([:])]),
        ])
        #expect(try JSONValue(parsing: Data(value.compactUTF8)) == value)
    }
}
