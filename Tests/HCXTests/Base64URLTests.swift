import Foundation
import Testing

@testable import HCX

@Suite struct Base64URLTests {
    @Test func matchesFoundationsBase64WithTheURLAlphabetAndNoPadding() {
        for length in 0..<70 {
            let bytes = Data((0..<length).map { UInt8(($0 * 37 + 11) % 256) })
            let expected = bytes.base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(Base64URL.encode(bytes) == expected)
            #expect(Base64URL.decode(expected) == bytes)
        }
    }

    @Test func malformedTextIsRefused() {
        for text in ["a", "ab=c", "a+bc", "a/bc", "ab c", "abcde"] {
            #expect(Base64URL.decode(text) == nil, "\(text)")
        }
        // Non-canonical: the leftover bits of "QR" are not zero.
        #expect(Base64URL.decode("QR") == nil)
        #expect(Base64URL.decode("QQ") == Data([0x41]))
    }
}
