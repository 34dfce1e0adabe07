import Foundation

/// Base64url without padding (RFC 4648 §5, as JOSE uses it: RFC 7515 §2), byte by byte.
///
/// Written over raw byte buffers rather than through Foundation's base64 plus string replacements,
/// which cost more than the RSA operation itself on an 18 KB HCX bundle (see the JWE benchmark).
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Value of each ASCII byte in the alphabet; 0xFF for bytes outside it.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    /// Encodes bytes.
    static func encode<D: DataProtocol>(_ data: D) -> String {
        let bytes = [UInt8](data)
        let count = bytes.count
        return alphabet.withUnsafeBufferPointer { table in
            bytes.withUnsafeBufferPointer { input in
                String(unsafeUninitializedCapacity: (count * 4 + 2) / 3) { output in
                    var index = 0
                    var written = 0
                    while index + 3 <= count {
                        let value =
                            UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                        output[written] = table[Int(value >> 18 & 63)]
                        output[written + 1] = table[Int(value >> 12 & 63)]
                        output[written + 2] = table[Int(value >> 6 & 63)]
                        output[written + 3] = table[Int(value & 63)]
                        index += 3
                        written += 4
                    }
                    let remaining = count - index
                    if remaining > 0 {
                        var value = UInt32(input[index]) << 16
                        if remaining == 2 { value |= UInt32(input[index + 1]) << 8 }
                        output[written] = table[Int(value >> 18 & 63)]
                        output[written + 1] = table[Int(value >> 12 & 63)]
                        written += 2
                        if remaining == 2 {
                            output[written] = table[Int(value >> 6 & 63)]
                            written += 1
                        }
                    }
                    return written
                }
            }
        }
    }

    /// Whether `text` is well-formed base64url (alphabet only, no padding, a possible length).
    static func isValid(_ text: Substring) -> Bool {
        var copy = text
        return copy.withUTF8 { bytes in
            values.withUnsafeBufferPointer { table in
                bytes.count % 4 != 1 && bytes.allSatisfy { table[Int($0)] != 0xFF }
            }
        }
    }

    /// Decodes text, or returns `nil` when it is not (canonical) base64url.
    static func decode(_ text: Substring) -> Data? {
        var copy = text
        return copy.withUTF8 { input -> Data? in
            guard input.count % 4 != 1 else { return nil }
            return values.withUnsafeBufferPointer { table -> Data? in
                var output = [UInt8]()
                output.reserveCapacity(input.count * 3 / 4)
                var accumulator: UInt32 = 0
                var bits = 0
                for byte in input {
                    let value = table[Int(byte)]
                    guard value != 0xFF else { return nil }
                    accumulator = accumulator << 6 | UInt32(value)
                    bits += 6
                    if bits >= 8 {
                        bits -= 8
                        output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                    }
                }
                // Leftover bits must be zero (canonical encoding).
                guard accumulator & ((1 << UInt32(bits)) - 1) == 0 else { return nil }
                return Data(output)
            }
        }
    }

    /// Decodes text, or returns `nil` when it is not (canonical) base64url.
    static func decode(_ text: String) -> Data? { decode(Substring(text)) }
}
