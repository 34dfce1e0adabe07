import Foundation
import RCMCore

/// A claim as a payer reads it from an 837P (005010X222A1) transaction set: what adjudication
/// needs — the patient control number (CLM01), the charge (CLM02), the subscriber (2010BA NM1:
/// name and member id), the payer id (2010BB NM109), the billing provider (2010AA NM1: name and
/// NPI) and each service line (SV1: the procedure with its modifiers,
/// charge, units; DTP*472 its date). Used by the sandbox's clearinghouse mode; the 837P's other
/// loops are read over.
public struct ReceivedProfessionalClaim: Sendable, Hashable {
    public struct Line: Sendable, Hashable {
        /// SV101-1: `HC` (CPT, HCPCS) or `ER` (jurisdiction-specific).
        public let qualifier: String
        public let code: String
        public let modifiers: [String]
        public let charge: Decimal
        public let units: Decimal
        /// `CCYYMMDD`, when the line has a DTP*472.
        public let serviceDate: String?
    }

    public let patientControlNumber: String
    public let charge: Decimal
    public let memberID: String
    /// 2010BA NM103 and NM104.
    public let subscriberLastName: String
    public let subscriberFirstName: String
    public let payerID: String
    /// 2010AA NM103 and NM109 (the NPI).
    public let billingProviderName: String
    public let billingProviderNPI: String
    public let lines: [Line]

    /// The claims of one 837 transaction set, in order.
    /// - Throws: ``X12Error`` naming the segment: not an 837, a CLM or SV1 before its subscriber,
    ///   an amount or unit count that is not a number, a CLM02 that is not the sum of its lines.
    public static func claims(in set: X12Interchange.TransactionSet) throws -> [ReceivedProfessionalClaim] {
        guard set.code == "837" else { throw X12Error(segment: set.firstSegment, "ST01 is \(set.code): not an 837") }
        var claims: [ReceivedProfessionalClaim] = []
        var subscriber: (id: String, last: String, first: String)?
        var provider = (name: "", npi: "")
        var payerID = ""
        var open: (number: String, charge: Decimal, segment: Int)?
        var lines: [Line] = []
        func close() throws {
            guard let current = open else { return }
            let sum = lines.reduce(Decimal(0)) { $0 + $1.charge }
            guard sum == current.charge else {
                throw X12Error(
                    segment: current.segment, "CLM02 \(current.charge) of claim \(current.number) is not Σ SV102 \(sum)"
                )
            }
            claims.append(
                ReceivedProfessionalClaim(
                    patientControlNumber: current.number, charge: current.charge, memberID: subscriber?.id ?? "",
                    subscriberLastName: subscriber?.last ?? "", subscriberFirstName: subscriber?.first ?? "",
                    payerID: payerID, billingProviderName: provider.name, billingProviderNPI: provider.npi,
                    lines: lines))
            open = nil
            lines = []
        }
        for (offset, segment) in set.segments.enumerated() {
            let number = set.firstSegment + 1 + offset
            func decimal(_ text: String, _ what: String) throws -> Decimal {
                guard let value = X12Decimal.parse(text) else {
                    throw X12Error(segment: number, "\(what) '\(text)' is not a number")
                }
                return value
            }
            switch segment.id {
            case "HL" where segment[3] == "22":
                try close()
                subscriber = nil
            case "NM1" where segment[1] == "85":
                provider = (segment[3], segment[9])
            case "NM1" where segment[1] == "IL":
                subscriber = (segment[9], segment[3], segment[4])
            case "NM1" where segment[1] == "PR":
                payerID = segment[9]
            case "CLM":
                try close()
                guard subscriber != nil else { throw X12Error(segment: number, "CLM before its subscriber (NM1*IL)") }
                open = (segment[1], try decimal(segment[2], "CLM02"), number)
            case "SV1":
                guard open != nil else { throw X12Error(segment: number, "SV1 outside a claim") }
                let procedure = segment.components(1)
                lines.append(
                    Line(
                        qualifier: procedure.first ?? "", code: procedure.count > 1 ? procedure[1] : "",
                        modifiers: Array(procedure.dropFirst(2).prefix(4)).filter { !$0.isEmpty },
                        charge: try decimal(segment[2], "SV102"), units: try decimal(segment[4], "SV104"),
                        serviceDate: nil))
            case "DTP" where segment[1] == "472":
                guard let last = lines.popLast() else { continue }
                lines.append(
                    Line(
                        qualifier: last.qualifier, code: last.code, modifiers: last.modifiers, charge: last.charge,
                        units: last.units,
                        serviceDate: segment[3]))
            default:
                continue
            }
        }
        try close()
        return claims
    }
}
