import Foundation
import Testing

@testable import HCX

@Suite struct Base64URLTests {
    @Test func matchesFoundationsBase64WithTheURLAlphabetAndNoPadding() {
        for length in 0..<70 {
            let bytes = (0..<length).map { UInt8(($0 * 37 + 11) % 256) }
            let expected = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(Base64URL.encode(bytes) == expected)
            #expect(Base64URL.decode(expected) == bytes)
        }
        // Every byte value in every position of a 3-byte group.
        let all = (0..<768).map { UInt8($0 % 256 ^ ($0 / 256) * 85) }
        let expected = Data(all).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        #expect(Base64URL.encode(all) == expected)
        #expect(Base64URL.decode(expected) == all)
    }

    @Test func malformedTextIsRefused() {
        for text in ["a", "ab=c", "a+bc", "a/bc", "ab c", "abcde", "abc\u{e9}", "ab\u{0}d"] {
            #expect(Base64URL.decode(text) == nil, "\(text)")
            var copy = text
            #expect(!copy.withUTF8 { Base64URL.isValid($0) }, "\(text)")
        }
        // Non-canonical: leftover bits that are not zero ("QR" and "QUJ" end in set bits; "QQ" and "QUI" do not).
        #expect(Base64URL.decode("QR") == nil)
        #expect(Base64URL.decode("QQ") == [0x41])
        #expect(Base64URL.decode("QUJ") == nil)
        #expect(Base64URL.decode("QUI") == [0x41, 0x42])
        #expect(Base64URL.decode("") == [])
    }
}
