import Foundation
import RCMCore

/// A 270 eligibility, coverage or benefit inquiry (ASC X12N 005010X279A1) for one subscriber:
/// 2100A the payer (NM1*PR), 2100B the provider asking (NM1*1P with its NPI), 2000C/2100C the
/// subscriber (TRN*1 the inquiry's trace number, NM1*IL with the member id, DMG, DTP*291 the date
/// of service) and EQ*30 (health benefit plan coverage). HL 1 (20) → 2 (21) → 3 (22).
/// Sources: `../shared/docs/reference/x12.md`; the guide's loops as pyx12's map encodes them.
public struct EligibilityInquiry270: Sendable, Hashable {
    public let payerName: String
    public let payerID: String
    public let providerName: String
    public let providerNPI: String
    /// TRN02: RCM's trace number for the inquiry (the 271 returns it in TRN*2).
    public let traceNumber: String
    /// TRN03: `1` followed by the originator's 9-digit EIN.
    public let originatorID: String
    public let subscriberLastName: String
    public let subscriberFirstName: String
    public let memberID: String
    public let birthDate: ServiceDate?
    /// `F`, `M` or `U`.
    public let gender: String?
    public let serviceDate: ServiceDate

    public init(
        payerName: String, payerID: String, providerName: String, providerNPI: String, traceNumber: String,
        originatorID: String, subscriberLastName: String, subscriberFirstName: String, memberID: String,
        birthDate: ServiceDate?, gender: String?, serviceDate: ServiceDate
    ) {
        self.payerName = payerName
        self.payerID = payerID
        self.providerName = providerName
        self.providerNPI = providerNPI
        self.traceNumber = traceNumber
        self.originatorID = originatorID
        self.subscriberLastName = subscriberLastName
        self.subscriberFirstName = subscriberFirstName
        self.memberID = memberID
        self.birthDate = birthDate
        self.gender = gender
        self.serviceDate = serviceDate
    }

    /// The set's segments between ST and SE.
    /// - Parameters:
    ///   - reference: BHT03, the originator's reference (RCM: the set's control number).
    ///   - created: BHT04/05, as `CCYYMMDD` and `HHMM`.
    public func segments(reference: String, created: (date: String, time: String)) -> [X12Segment] {
        var segments = [
            X12Segment("BHT", "0022", "13", reference, created.date, created.time),
            X12Segment("HL", "1", "", "20", "1"),
            X12Segment("NM1", "PR", "2", payerName, "", "", "", "", "PI", payerID),
            X12Segment("HL", "2", "1", "21", "1"),
            X12Segment("NM1", "1P", "2", providerName, "", "", "", "", "XX", providerNPI),
            X12Segment("HL", "3", "2", "22", "0"),
            X12Segment("TRN", "1", traceNumber, originatorID),
            X12Segment("NM1", "IL", "1", subscriberLastName, subscriberFirstName, "", "", "", "MI", memberID),
        ]
        if let birthDate {
            segments.append(X12Segment("DMG", "D8", birthDate.x12Text, gender ?? "U"))
        }
        segments.append(X12Segment("DTP", "291", "D8", serviceDate.x12Text))
        segments.append(X12Segment("EQ", "30"))
        return segments
    }

    /// The inquiries of one 270 set: each subscriber's trace number, member id and date of service.
    /// - Throws: ``X12Error`` naming the segment: not a 270, a subscriber without TRN or NM1*IL, a
    ///   date that is not `CCYYMMDD`.
    public static func inquiries(in set: X12Interchange.TransactionSet) throws -> [(
        traceNumber: String, memberID: String, lastName: String, firstName: String, serviceDate: ServiceDate?
    )] {
        guard set.code == "270" else { throw X12Error(segment: set.firstSegment, "ST01 is \(set.code): not a 270") }
        var found: [(String, String, String, String, ServiceDate?)] = []
        var trace: String?
        var member: (id: String, last: String, first: String)?
        var date: ServiceDate?
        func close(_ number: Int) throws {
            guard let trace else { return }
            guard let member else { throw X12Error(segment: number, "subscriber \(trace) without NM1*IL") }
            found.append((trace, member.id, member.last, member.first, date))
        }
        for (offset, segment) in set.segments.enumerated() {
            let number = set.firstSegment + 1 + offset
            switch segment.id {
            case "HL" where segment[3] == "22":
                try close(number)
                trace = nil
                member = nil
                date = nil
            case "TRN" where segment[1] == "1": trace = segment[2]
            case "NM1" where segment[1] == "IL": member = (segment[9], segment[3], segment[4])
            case "DTP" where segment[1] == "291":
                guard let parsed = ServiceDate(x12: segment[3]) else {
                    throw X12Error(segment: number, "DTP03 '\(segment[3])' is not a date CCYYMMDD")
                }
                date = parsed
            default: continue
            }
        }
        try close(set.firstSegment + set.segments.count)
        return found
    }
}
