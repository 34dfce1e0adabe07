/// A 999 implementation acknowledgment (ASC X12C 005010X231A1) as read from one transaction set:
/// the receiver's verdict on one functional group RCM sent (AK1, AK9) and on each transaction set
/// in it (AK2 … IK5), with the segment (IK3) and element (IK4) errors that made it reject one.
public struct ImplementationAcknowledgment999: Sendable, Hashable {
    /// An element in error (IK4): its position in the segment (IK401, `2` or `1:3` for a component),
    /// the error code (IK403) and the bad value as received (IK404).
    public struct ElementError: Sendable, Hashable {
        public let position: String
        public let code: String
        public let value: String?
    }

    /// A segment in error (IK3): its id, its position in the transaction set (ST = 1), the loop it
    /// was in, the error code (IK304) and its element errors.
    public struct SegmentError: Sendable, Hashable {
        public let segmentID: String
        public let position: Int
        public let loop: String?
        public let code: String?
        public let elements: [ElementError]

        /// One line for a biller: where, what, and the codes' meaning.
        public var description: String {
            var text = "\(segmentID) (segment \(position) of the set\(loop.map { ", loop \($0)" } ?? ""))"
            if let code { text += ": \(ImplementationAcknowledgment999.segmentErrors[code] ?? "error \(code)")" }
            for element in elements {
                text +=
                    "; element \(segmentID)\(element.position): "
                    + (ImplementationAcknowledgment999.elementErrors[element.code] ?? "error \(element.code)")
                    + (element.value.map { " ('\($0)')" } ?? "")
            }
            return text
        }
    }

    /// The verdict on one transaction set: AK201 its code, AK202 its control number (the ST02 RCM
    /// sent), IK501 `A` accepted, `E` accepted with errors, `R` rejected (also `M`, `W`, `X`), the
    /// IK502… codes and the segment errors.
    public struct SetResponse: Sendable, Hashable {
        public let code: String
        public let controlNumber: String
        public let status: String
        public let codes: [String]
        public let errors: [SegmentError]
        public var accepted: Bool { status == "A" || status == "E" }
    }

    /// AK101 (`HC` claims) and AK102 (the GS06 RCM sent).
    public let functionalID: String
    public let groupControlNumber: String
    /// AK901: `A` accepted, `E` accepted with errors, `P` partially accepted, `R` rejected; AK902…
    /// AK904: sets included, received, accepted.
    public let groupStatus: String
    public let setsIncluded: Int
    public let setsReceived: Int
    public let setsAccepted: Int
    public let sets: [SetResponse]

    /// Reads one 999 transaction set.
    /// - Throws: ``X12Error`` naming the segment: not a 999, a segment out of place, a missing AK1
    ///   or AK9, an AK2 without its IK5, counts that are not numbers.
    public init(_ set: X12Interchange.TransactionSet) throws {
        guard set.code == "999" else { throw X12Error(segment: set.firstSegment, "ST01 is \(set.code): not a 999") }
        var ak1: X12Segment?
        var ak9: (X12Segment, Int)?
        var sets: [SetResponse] = []
        var open: (ak2: X12Segment, number: Int, errors: [SegmentError])?
        var segment3: (X12Segment, Int, [ElementError])?
        func closeSegmentError() throws {
            guard let (ik3, number, elements) = segment3 else { return }
            guard let position = Int(ik3[2]) else {
                throw X12Error(segment: number, "IK302 '\(ik3[2])' is not a position")
            }
            open?.errors.append(
                SegmentError(
                    segmentID: ik3[1], position: position, loop: ik3[3].isEmpty ? nil : ik3[3],
                    code: ik3[4].isEmpty ? nil : ik3[4], elements: elements))
            segment3 = nil
        }
        for (offset, segment) in set.segments.enumerated() {
            let number = set.firstSegment + 1 + offset
            switch segment.id {
            case "AK1" where ak1 == nil && open == nil:
                ak1 = segment
            case "AK2" where ak1 != nil && open == nil && ak9 == nil:
                open = (segment, number, [])
            case "IK3" where open != nil:
                try closeSegmentError()
                segment3 = (segment, number, [])
            case "CTX" where open != nil:
                break
            case "IK4" where segment3 != nil:
                segment3?.2.append(
                    ElementError(
                        position: segment.components(1).joined(separator: ":"), code: segment[3],
                        value: segment[4].isEmpty ? nil : segment[4]))
            case "IK5" where open != nil:
                try closeSegmentError()
                if let current = open {
                    sets.append(
                        SetResponse(
                            code: current.ak2[1], controlNumber: current.ak2[2], status: segment[1],
                            codes: (2...6).map { segment[$0] }.filter { !$0.isEmpty }, errors: current.errors))
                }
                open = nil
            case "AK9" where ak1 != nil && open == nil && ak9 == nil:
                ak9 = (segment, number)
            default:
                throw X12Error(segment: number, "unexpected segment \(segment.id) in the 999")
            }
        }
        guard let ak1 else { throw X12Error(segment: set.firstSegment, "the 999 has no AK1 (the group it answers)") }
        if let open { throw X12Error(segment: open.number, "AK2 without its IK5 (the set's verdict)") }
        guard let (ak9, ak9Number) = ak9 else { throw X12Error(segment: set.firstSegment, "the 999 has no AK9") }
        guard let included = Int(ak9[2]), let received = Int(ak9[3]), let accepted = Int(ak9[4]) else {
            throw X12Error(segment: ak9Number, "AK902–AK904 must be counts")
        }
        self.functionalID = ak1[1]
        self.groupControlNumber = ak1[2]
        self.groupStatus = ak9[1]
        self.setsIncluded = included
        self.setsReceived = received
        self.setsAccepted = accepted
        self.sets = sets
    }

    /// IK304 codes (X12's segment syntax error codes), in our words.
    static let segmentErrors: [String: String] = [
        "1": "unrecognized segment id", "2": "unexpected segment", "3": "required segment missing",
        "4": "loop occurs over its maximum", "5": "segment exceeds its maximum use",
        "6": "segment not in the transaction set", "7": "segment not in its proper sequence",
        "8": "segment has data element errors", "I4": "segment the guide does not use",
        "I6": "segment the guide requires here is missing", "I7": "loop occurs under its minimum",
        "I8": "segment occurs under its minimum", "I9": "segment the guide does not use in this case",
    ]

    /// IK403 codes (X12's element syntax error codes), in our words.
    static let elementErrors: [String: String] = [
        "1": "required element missing", "2": "conditionally required element missing",
        "3": "too many elements", "4": "too short", "5": "too long", "6": "invalid character",
        "7": "invalid code value", "8": "invalid date", "9": "invalid time", "10": "exclusion condition violated",
        "12": "too many repetitions", "13": "too many components", "I6": "code value the guide does not use",
        "I9": "element the guide requires in this case is missing", "I10": "element the guide does not use",
        "I11": "too few repetitions", "I12": "value does not match the guide's pattern",
        "I13": "element the guide does not use in this case",
    ]
}
