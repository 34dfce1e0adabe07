/// RCM's own strict X12 tokenizer (X12.5/X12.6, version 5010): the separators are read from the
/// fixed-width ISA segment, then the text is cut at segment terminators, elements and components —
/// one pass over the bytes, no regular expressions. Line breaks after a segment terminator are
/// allowed (files are often wrapped), and a line break may be the terminator itself (CR LF line
/// ends then allowed too); a control character in data (a NUL) and anything else out of place is
/// an error naming the segment.
public enum X12Reader {
    /// The widths of ISA01…ISA16 (X12.5 interchange control header: fixed width, 106 characters
    /// with the separators and the segment terminator).
    static let isaWidths = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1]

    /// The separators and segments of `text`, in order (the ISA included, its elements as written).
    /// - Throws: ``X12Error`` with the segment number: an ISA not 106 characters wide, a segment
    ///   without its terminator (a truncated file), an empty segment, an identifier that is not two
    ///   or three capital letters or digits.
    public static func segments(_ text: String) throws -> (X12Delimiters, [X12Segment]) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 106, bytes.starts(with: Array("ISA".utf8)) else {
            throw X12Error(segment: 1, "the interchange must start with an ISA segment of 106 characters")
        }
        let element = bytes[3]
        // ISA is cut by position: its elements' widths are fixed, so the separators sit at known
        // offsets whatever characters they are.
        var offset = 3
        var isaElements: [[String]] = []
        for (index, width) in isaWidths.enumerated() {
            guard bytes[offset] == element else {
                throw X12Error(
                    segment: 1,
                    "ISA is not 106 characters wide: ISA\(index < 9 ? "0" : "")\(index + 1) must be \(width) "
                        + "character(s) after the separator at offset \(offset)")
            }
            let value = String(decoding: bytes[(offset + 1)..<(offset + 1 + width)], as: UTF8.self)
            isaElements.append([value])
            offset += 1 + width
        }
        let terminator = bytes[105]
        let component = bytes[104]
        let repetition = bytes[82]  // ISA11 in 5010
        let separators = [element, component, repetition]
        let lineBreaks: Set<UInt8> = [0x0A, 0x0D]
        guard separators.allSatisfy({ $0 < 0x80 && $0 > 0x20 }),
            terminator < 0x80 && (terminator > 0x20 || lineBreaks.contains(terminator)),
            Set(separators + [terminator]).count == 4
        else {
            throw X12Error(
                segment: 1,
                "ISA's element, repetition and component separators must be three different printable ASCII "
                    + "characters, and its segment terminator another one or a line break")
        }
        let delimiters = X12Delimiters(
            element: Character(Unicode.Scalar(element)), repetition: Character(Unicode.Scalar(repetition)),
            component: Character(Unicode.Scalar(component)), segment: Character(Unicode.Scalar(terminator)))
        var segments = [X12Segment("ISA", elements: isaElements)]
        var start = 106
        while true {
            while start < bytes.count, bytes[start] == 0x0A || bytes[start] == 0x0D { start += 1 }
            guard start < bytes.count else { break }
            let number = segments.count + 1
            guard var end = bytes[start...].firstIndex(of: terminator) else {
                let id = String(decoding: bytes[start...].prefix { $0 != element }.prefix(3), as: UTF8.self)
                throw X12Error(segment: number, "\(id) has no segment terminator: the file is truncated")
            }
            let next = end + 1
            // A line-feed terminator in a file written with CR LF line ends.
            if terminator == 0x0A, end > start, bytes[end - 1] == 0x0D { end -= 1 }
            if let control = bytes[start..<end].first(where: { $0 < 0x20 || $0 == 0x7F }) {
                let id = String(decoding: bytes[start..<end].prefix { $0 != element }.prefix(3), as: UTF8.self)
                throw X12Error(
                    segment: number,
                    "\(id) holds a control character (byte 0x\(String(control, radix: 16, uppercase: true))), "
                        + "which X12 does not allow in data")
            }
            let parts = bytes[start..<end].split(separator: element, omittingEmptySubsequences: false)
            let id = String(decoding: parts[0], as: UTF8.self)
            guard (2...3).contains(id.utf8.count),
                id.utf8.allSatisfy({ (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) })
            else {
                throw X12Error(
                    segment: number,
                    id.isEmpty ? "an empty segment" : "'\(id.prefix(10))' is not a segment identifier")
            }
            segments.append(
                X12Segment(
                    id,
                    elements: parts.dropFirst().map { part in
                        part.split(separator: component, omittingEmptySubsequences: false).map {
                            String(decoding: $0, as: UTF8.self)
                        }
                    }))
            start = next
        }
        return (delimiters, segments)
    }
}

/// A file RCM cannot read as X12, in one line: the segment number (1 = ISA) and what is wrong.
public struct X12Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// The 1-based position of the segment in the file.
    public let segment: Int
    public let message: String

    public init(segment: Int, _ message: String) {
        self.segment = segment
        self.message = message
    }

    public var description: String { "segment \(segment): \(message)" }
}
