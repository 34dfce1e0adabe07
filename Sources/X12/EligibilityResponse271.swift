import Foundation
import RCMCore

/// A 271 eligibility, coverage or benefit response (ASC X12N 005010X279A1): per subscriber
/// (2000C, matched to its inquiry by TRN*2's trace number) whether coverage is active on the date
/// asked — EB01 `1` active; `6` inactive, `7` inactive pending an eligibility update, `8`
/// inactive pending investigation — or why the payer could not answer (AAA: AAA03 the reject
/// reason, e.g. `72` invalid member id, `75` subscriber not found). Sources:
/// `../shared/docs/reference/x12.md`; the guide's loops as pyx12's map encodes them.
public struct EligibilityResponse271: Sendable, Hashable {
    /// The answer for one subscriber.
    public struct Answer: Sendable, Hashable {
        public let traceNumber: String
        public let memberID: String
        public let lastName: String
        public let firstName: String
        /// EB01 codes, in order.
        public let benefitCodes: [String]
        /// AAA03 reject reason codes, in order.
        public let rejectReasons: [String]

        public init(
            traceNumber: String, memberID: String, lastName: String, firstName: String, benefitCodes: [String],
            rejectReasons: [String]
        ) {
            self.traceNumber = traceNumber
            self.memberID = memberID
            self.lastName = lastName
            self.firstName = firstName
            self.benefitCodes = benefitCodes
            self.rejectReasons = rejectReasons
        }

        /// Coverage is active: an EB01 `1` and no rejection.
        public var isActive: Bool { rejectReasons.isEmpty && benefitCodes.contains("1") }

        /// The answer in words, for the claim's findings.
        public var description: String {
            if !rejectReasons.isEmpty {
                return "the payer could not check the member: "
                    + rejectReasons.map {
                        EligibilityResponse271.rejectReasonTexts[$0].map { "\($0)" } ?? "reject reason \($0)"
                    }
                    .joined(separator: "; ")
            }
            let codes = benefitCodes.map { EligibilityResponse271.benefitTexts[$0] ?? "EB01 \($0)" }
            return codes.isEmpty ? "no benefit information" : codes.joined(separator: "; ")
        }
    }

    public let answers: [Answer]

    public init(answers: [Answer]) { self.answers = answers }

    /// The set's segments between ST and SE, answering `inquiry`'s payer and provider.
    public func segments(
        payer: (name: String, id: String), provider: (name: String, npi: String), originatorID: String,
        reference: String, created: (date: String, time: String)
    ) -> [X12Segment] {
        var segments = [
            X12Segment("BHT", "0022", "11", reference, created.date, created.time),
            X12Segment("HL", "1", "", "20", "1"),
            X12Segment("NM1", "PR", "2", payer.name, "", "", "", "", "PI", payer.id),
            X12Segment("HL", "2", "1", "21", "1"),
            X12Segment("NM1", "1P", "2", provider.name, "", "", "", "", "XX", provider.npi),
        ]
        for (index, answer) in answers.enumerated() {
            segments.append(X12Segment("HL", String(index + 3), "2", "22", "0"))
            segments.append(X12Segment("TRN", "2", answer.traceNumber, originatorID))
            segments.append(
                X12Segment("NM1", "IL", "1", answer.lastName, answer.firstName, "", "", "", "MI", answer.memberID))
            for reason in answer.rejectReasons { segments.append(X12Segment("AAA", "N", "", reason, "C")) }
            for code in answer.benefitCodes { segments.append(X12Segment("EB", code, "IND", "30")) }
        }
        return segments
    }

    /// Reads one 271 set.
    /// - Throws: ``X12Error`` naming the segment: not a 271, a subscriber without TRN*2.
    public init(_ set: X12Interchange.TransactionSet) throws {
        guard set.code == "271" else { throw X12Error(segment: set.firstSegment, "ST01 is \(set.code): not a 271") }
        var answers: [Answer] = []
        var current: (trace: String?, member: (String, String, String)?, benefits: [String], rejects: [String])?
        var level = ""
        func close(_ number: Int) throws {
            guard let open = current else { return }
            guard let trace = open.trace else { throw X12Error(segment: number, "subscriber without TRN*2") }
            answers.append(
                Answer(
                    traceNumber: trace, memberID: open.member?.0 ?? "", lastName: open.member?.1 ?? "",
                    firstName: open.member?.2 ?? "", benefitCodes: open.benefits, rejectReasons: open.rejects))
            current = nil
        }
        for (offset, segment) in set.segments.enumerated() {
            let number = set.firstSegment + 1 + offset
            switch segment.id {
            case "HL":
                if level == "22" || level == "23" { try close(number) }
                level = segment[3]
                if level == "22" { current = (nil, nil, [], []) }
            case "TRN" where segment[1] == "2" && current != nil: current?.trace = segment[2]
            case "NM1" where segment[1] == "IL" && current != nil:
                current?.member = (segment[9], segment[3], segment[4])
            case "AAA" where current != nil: current?.rejects.append(segment[3])
            case "EB" where current != nil: current?.benefits.append(segment[1])
            default: continue
            }
        }
        try close(set.firstSegment + set.segments.count)
        self.answers = answers
    }

    /// EB01 eligibility or benefit information codes RCM reads.
    static let benefitTexts: [String: String] = [
        "1": "active coverage", "6": "inactive", "7": "inactive, pending eligibility update",
        "8": "inactive, pending investigation", "V": "cannot process",
    ]

    /// AAA03 reject reason codes of the 2100C loop.
    static let rejectReasonTexts: [String: String] = [
        "15": "required application data missing", "42": "unable to respond at current time",
        "43": "invalid/missing provider identification", "58": "invalid/missing date of birth",
        "72": "invalid/missing subscriber/insured ID", "73": "invalid/missing subscriber/insured name",
        "75": "subscriber/insured not found", "76": "duplicate subscriber/insured ID number",
    ]
}
