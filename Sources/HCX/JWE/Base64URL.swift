/// Base64url without padding (RFC 4648 §5, as JOSE uses it: RFC 7515 §2), over raw byte buffers.
///
/// An 18 KB HCX claim bundle is 24 KB of base64url in its envelope, and coding it is most of an
/// envelope's cost besides the RSA operation (see the JWE benchmark), so both directions work on
/// whole groups: encoding writes two characters per table lookup (a 4,096-entry table of character
/// pairs), decoding reads four characters per step and checks all four with one test.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// For each 12-bit value, its two characters as a little-endian pair (the first in the low byte).
    private static let pairs: [UInt16] = (0..<4096).map { value in
        UInt16(alphabet[value >> 6]) | UInt16(alphabet[value & 63]) << 8
    }

    /// Value of each ASCII byte in the alphabet; 0xFF for bytes outside it.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    /// The number of characters `count` bytes encode to.
    static func encodedCount(_ count: Int) -> Int { (count * 4 + 2) / 3 }

    /// Encodes `input` into `output`, which has room for ``encodedCount(_:)`` bytes.
    /// - Returns: the number of bytes written.
    @discardableResult
    static func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawPointer) -> Int {
        let count = input.count
        guard count > 0, let source = input.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return 0 }
        return pairs.withUnsafeBufferPointer { pairs in
            let pair = pairs.baseAddress!
            var index = 0
            var written = 0
            // Six bytes to eight characters, stored at once (the pairs are laid out little-endian).
            while index + 6 <= count {
                let first = Int(source[index]) << 16 | Int(source[index + 1]) << 8 | Int(source[index + 2])
                let second = Int(source[index + 3]) << 16 | Int(source[index + 4]) << 8 | Int(source[index + 5])
                let word =
                    UInt64(pair[first >> 12]) | UInt64(pair[first & 0xFFF]) << 16 | UInt64(pair[second >> 12]) << 32
                    | UInt64(pair[second & 0xFFF]) << 48
                output.storeBytes(of: word.littleEndian, toByteOffset: written, as: UInt64.self)
                index += 6
                written += 8
            }
            while index + 3 <= count {
                let value = Int(source[index]) << 16 | Int(source[index + 1]) << 8 | Int(source[index + 2])
                output.storeBytes(of: pair[value >> 12].littleEndian, toByteOffset: written, as: UInt16.self)
                output.storeBytes(of: pair[value & 0xFFF].littleEndian, toByteOffset: written + 2, as: UInt16.self)
                index += 3
                written += 4
            }
            let remaining = count - index
            if remaining > 0 {
                var value = Int(source[index]) << 16
                if remaining == 2 { value |= Int(source[index + 1]) << 8 }
                output.storeBytes(of: pair[value >> 12].littleEndian, toByteOffset: written, as: UInt16.self)
                written += 2
                if remaining == 2 {
                    output.storeBytes(
                        of: UInt8(truncatingIfNeeded: pair[value & 0xFFF]), toByteOffset: written, as: UInt8.self)
                    written += 1
                }
            }
            return written
        }
    }

    /// Encodes bytes as a string.
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let array = Array(bytes)
        return array.withUnsafeBytes { input in
            String(unsafeUninitializedCapacity: encodedCount(input.count)) { output in
                encode(input, into: UnsafeMutableRawPointer(output.baseAddress!))
            }
        }
    }

    /// Whether `text` is well-formed base64url (alphabet only, no padding, a possible length);
    /// whether its leftover bits are zero is checked when it is decoded.
    static func isValid(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text.count % 4 != 1 else { return false }
        return values.withUnsafeBufferPointer { table in
            var seen: UInt8 = 0
            for byte in text { seen |= table[Int(byte)] }
            return seen & 0x80 == 0
        }
    }

    /// Decodes text, or returns `nil` when it is not canonical base64url (a character outside the
    /// alphabet, an impossible length, or leftover bits that are not zero).
    static func decode(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let count = text.count
        guard count % 4 != 1 else { return nil }
        let decodedCount = count * 3 / 4
        guard decodedCount > 0 else { return [] }
        return values.withUnsafeBufferPointer { table -> [UInt8]? in
            var valid = true
            let decoded = [UInt8](unsafeUninitializedCapacity: decodedCount) { output, initialised in
                var index = 0
                var written = 0
                var seen: UInt8 = 0
                while index + 4 <= count {
                    let a = table[Int(text[index])]
                    let b = table[Int(text[index + 1])]
                    let c = table[Int(text[index + 2])]
                    let d = table[Int(text[index + 3])]
                    seen |= a | b | c | d
                    let value = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
                    output[written] = UInt8(truncatingIfNeeded: value >> 16)
                    output[written + 1] = UInt8(truncatingIfNeeded: value >> 8)
                    output[written + 2] = UInt8(truncatingIfNeeded: value)
                    index += 4
                    written += 3
                }
                let remaining = count - index
                if remaining >= 2 {
                    let a = table[Int(text[index])]
                    let b = table[Int(text[index + 1])]
                    let c = remaining == 3 ? table[Int(text[index + 2])] : 0
                    seen |= a | b | c
                    let value = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6
                    output[written] = UInt8(truncatingIfNeeded: value >> 16)
                    written += 1
                    if remaining == 3 {
                        output[written] = UInt8(truncatingIfNeeded: value >> 8)
                        written += 1
                    }
                    // Leftover bits must be zero (canonical encoding).
                    if seen & 0x80 == 0, value & (remaining == 2 ? 0xFFFF : 0xFF) != 0 { valid = false }
                }
                if seen & 0x80 != 0 { valid = false }
                initialised = written
            }
            return valid ? decoded : nil
        }
    }

    /// Decodes a string, or returns `nil` when it is not canonical base64url.
    static func decode(_ text: String) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode($0) }
    }
}
