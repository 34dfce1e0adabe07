/// An X12 interchange read and checked: ISA … IEA around functional groups (GS … GE) around
/// transaction sets (ST … SE), with every count and control number the envelopes carry
/// (X12.6): SE01 = the set's segments from ST to SE, SE02 = ST02; GE01 = the group's sets, GE02 =
/// GS06; IEA01 = the groups, IEA02 = ISA13.
public struct X12Interchange: Sendable {
    /// One transaction set: its ST, the segments between ST and SE, and where it starts in the file.
    public struct TransactionSet: Sendable {
        public let header: X12Segment
        public let segments: [X12Segment]
        /// The 1-based position of its ST in the file (for messages about its segments).
        public let firstSegment: Int
        /// ST01, e.g. `837`, `835`, `999`.
        public var code: String { header[1] }
        /// ST02.
        public var controlNumber: String { header[2] }
    }

    /// One functional group: its GS and its transaction sets.
    public struct FunctionalGroup: Sendable {
        public let header: X12Segment
        public let transactionSets: [TransactionSet]
        /// GS06.
        public var controlNumber: String { header[6] }
    }

    public let delimiters: X12Delimiters
    public let header: X12Segment
    public let groups: [FunctionalGroup]
    /// ISA13, nine digits.
    public var controlNumber: String { header[13] }
    /// ISA06 and ISA08, without their padding.
    public var senderID: String { header[6].trimmingTrailingSpaces }
    public var receiverID: String { header[8].trimmingTrailingSpaces }

    /// Reads and checks an interchange.
    /// - Throws: ``X12Error`` naming the segment: what ``X12Reader/segments(_:)`` throws, a
    ///   segment outside the envelope it belongs in, a missing trailer, a count or control number
    ///   that does not match, or anything after IEA.
    public init(text: String) throws {
        let (delimiters, segments) = try X12Reader.segments(text)
        self.delimiters = delimiters
        self.header = segments[0]
        var groups: [FunctionalGroup] = []
        var index = 1
        func fail(_ message: String) -> X12Error { X12Error(segment: index + 1, message) }
        func expect(_ id: String, _ what: String) throws -> X12Segment {
            guard index < segments.count else {
                throw X12Error(segment: segments.count, "the file ends before \(id) (\(what)): it is truncated")
            }
            guard segments[index].id == id else { throw fail("expected \(id) (\(what)), found \(segments[index].id)") }
            defer { index += 1 }
            return segments[index]
        }
        while index < segments.count, segments[index].id == "GS" {
            let gs = try expect("GS", "functional group header")
            var sets: [TransactionSet] = []
            while index < segments.count, segments[index].id == "ST" {
                let first = index + 1
                let st = try expect("ST", "transaction set header")
                var body: [X12Segment] = []
                while index < segments.count, !["SE", "ST", "GE", "GS", "IEA", "ISA"].contains(segments[index].id) {
                    body.append(segments[index])
                    index += 1
                }
                let se = try expect("SE", "transaction set trailer of ST*\(st[1])*\(st[2])")
                guard se[1] == String(body.count + 2) else {
                    throw X12Error(
                        segment: index,
                        "SE01 is \(se[1]) but the set has \(body.count + 2) segments from ST to SE")
                }
                guard se[2] == st[2] else {
                    throw X12Error(segment: index, "SE02 \(se[2]) is not the set's ST02 \(st[2])")
                }
                sets.append(TransactionSet(header: st, segments: body, firstSegment: first))
            }
            let ge = try expect("GE", "functional group trailer")
            guard ge[1] == String(sets.count) else {
                throw X12Error(segment: index, "GE01 is \(ge[1]) but the group holds \(sets.count) transaction set(s)")
            }
            guard ge[2] == gs[6] else {
                throw X12Error(segment: index, "GE02 \(ge[2]) is not the group's GS06 \(gs[6])")
            }
            groups.append(FunctionalGroup(header: gs, transactionSets: sets))
        }
        let iea = try expect("IEA", "interchange trailer")
        guard iea[1] == String(groups.count) else {
            throw X12Error(segment: index, "IEA01 is \(iea[1]) but the interchange holds \(groups.count) group(s)")
        }
        guard iea[2] == header[13] else {
            throw X12Error(segment: index, "IEA02 \(iea[2]) is not ISA13 \(header[13])")
        }
        guard index == segments.count else { throw fail("\(segments[index].id) after IEA: one interchange per file") }
        self.groups = groups
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
