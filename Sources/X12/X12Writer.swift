import Foundation

/// Writes an X12 interchange (X12.5/X12.6, 5010): the ISA at its fixed width, GS/GE and ST/SE
/// around the transaction sets' segments, every count and control number computed here — the
/// places where X12 writers are known to go wrong (SE counts off by one, HL counters across sets).
public struct X12Writer: Sendable {
    /// Who sends and who receives, as the clearinghouse assigned them: ISA05/06 and ISA07/08
    /// (qualifier, e.g. `ZZ` mutually defined, and an id of at most 15 characters), GS02/GS03.
    public struct Party: Sendable, Hashable {
        public let qualifier: String
        public let id: String
        public init(qualifier: String = "ZZ", id: String) {
            self.qualifier = qualifier
            self.id = id
        }
    }

    public let sender: Party
    public let receiver: Party
    public let delimiters: X12Delimiters
    /// ISA15: `P` production, `T` test.
    public let usage: String

    public init(sender: Party, receiver: Party, usage: String = "P", delimiters: X12Delimiters = .standard) {
        self.sender = sender
        self.receiver = receiver
        self.usage = usage
        self.delimiters = delimiters
    }

    /// One interchange holding one functional group.
    /// - Parameters:
    ///   - functionalID: GS01, e.g. `HC` (health care claim).
    ///   - version: GS08 and ST03, e.g. `005010X222A1`.
    ///   - interchangeControlNumber: ISA13/IEA02, 1…999,999,999 (written as nine digits).
    ///   - groupControlNumber: GS06/GE02.
    ///   - sets: each transaction set's ST01, ST02 and the segments between ST and SE.
    ///   - conventionReference: whether ST03 repeats the version (the 837P and 999 guides use it;
    ///     the 835 guide marks it not used).
    ///   - date: ISA09/10 and GS04/05, in `timeZone`.
    /// - Throws: ``X12Error`` (segment 0) for an id longer than ISA allows, a control number out of
    ///   range, or a value holding a separator.
    public func interchange(
        functionalID: String, version: String, interchangeControlNumber: Int, groupControlNumber: Int,
        sets: [(code: String, controlNumber: String, segments: [X12Segment])], conventionReference: Bool = true,
        date: Date, timeZone: TimeZone
    ) throws -> String {
        guard (1...999_999_999).contains(interchangeControlNumber) else {
            throw X12Error(segment: 0, "the interchange control number must be 1…999999999")
        }
        for party in [sender, receiver] where party.id.count > 15 || party.qualifier.count != 2 {
            throw X12Error(segment: 0, "'\(party.id)' is longer than ISA's 15 characters (or its qualifier not 2)")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        let year = parts.year ?? 2000
        let ccyymmdd = "\(year)\(two(parts.month))\(two(parts.day))"
        let hhmm = "\(two(parts.hour))\(two(parts.minute))"
        func padded(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: width - text.count) }
        let control = String(interchangeControlNumber)
        let isa = X12Segment(
            "ISA", "00", padded("", 10), "00", padded("", 10), sender.qualifier, padded(sender.id, 15),
            receiver.qualifier, padded(receiver.id, 15), String(ccyymmdd.dropFirst(2)), hhmm,
            String(delimiters.repetition), "00501", String(repeating: "0", count: 9 - control.count) + control, "0",
            usage, String(delimiters.component))
        var segments = [
            isa,
            X12Segment(
                "GS", functionalID, sender.id, receiver.id, ccyymmdd, hhmm, String(groupControlNumber), "X", version),
        ]
        for set in sets {
            segments.append(X12Segment("ST", set.code, set.controlNumber, conventionReference ? version : ""))
            segments += set.segments
            segments.append(X12Segment("SE", String(set.segments.count + 2), set.controlNumber))
        }
        segments.append(X12Segment("GE", String(sets.count), String(groupControlNumber)))
        segments.append(X12Segment("IEA", "1", isa[13]))
        return try segments.enumerated().map { number, segment in try text(segment, number: number + 1) }.joined(
            separator: "\n")
    }

    /// One segment as text, with its terminator; trailing empty elements and components dropped
    /// (ISA's elements are fixed width and never empty).
    func text(_ segment: X12Segment, number: Int) throws -> String {
        var elements = segment.elements.map { components -> [String] in
            var components = components
            while components.count > 1, components.last?.isEmpty == true { components.removeLast() }
            return components
        }
        while let last = elements.last, last.allSatisfy(\.isEmpty) { elements.removeLast() }
        for (position, components) in elements.enumerated() {
            for value in components where !delimiters.admits(value) {
                // ISA11 and ISA16 are the separators themselves.
                guard segment.id == "ISA", position == 10 || position == 15 else {
                    throw X12Error(
                        segment: number,
                        "\(segment.id)\(position < 9 ? "0" : "")\(position + 1) holds a separator: '\(value.prefix(40))'"
                    )
                }
            }
        }
        let component = String(delimiters.component)
        let element = String(delimiters.element)
        return ([segment.id] + elements.map { $0.joined(separator: component) }).joined(separator: element)
            + String(delimiters.segment)
    }
}
