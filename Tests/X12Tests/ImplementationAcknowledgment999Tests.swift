import Foundation
import TestSupport
import Testing

@testable import X12

/// 999 acknowledgments read into per-set verdicts with their segment and element errors.
@Suite struct ImplementationAcknowledgment999Tests {
    /// The clearinghouse's answer to group 42 (two 837 sets): 0001 accepted, 0002 rejected for a
    /// bad CLM05-1 (place of service) and a missing required segment.
    static let body = """
        AK1*HC*42*005010X222A1~
        AK2*837*0001*005010X222A1~
        IK5*A~
        AK2*837*0002*005010X222A1~
        IK3*CLM*22*2300*8~
        IK4*5:1*1331*7*99~
        IK3*NM1*9*2010BB*3~
        IK5*R*5~
        AK9*P*2*2*1~
        """

    static func read(_ body: String) throws -> ImplementationAcknowledgment999 {
        let text = try X12TestFiles.acknowledgment(body)
        return try ImplementationAcknowledgment999(try X12Interchange(text: text).groups[0].transactionSets[0])
    }

    @Test func eachSetsVerdictAndItsErrorsAreRead() throws {
        let ack = try Self.read(Self.body)
        #expect(ack.functionalID == "HC" && ack.groupControlNumber == "42")
        #expect(ack.groupStatus == "P" && ack.setsIncluded == 2 && ack.setsReceived == 2 && ack.setsAccepted == 1)
        #expect(ack.sets.map(\.controlNumber) == ["0001", "0002"])
        #expect(ack.sets.map(\.accepted) == [true, false])
        #expect(ack.sets[1].codes == ["5"])
        #expect(
            ack.sets[1].errors.map(\.description) == [
                "CLM (segment 22 of the set, loop 2300): segment has data element errors; element CLM5:1: invalid code value ('99')",
                "NM1 (segment 9 of the set, loop 2010BB): required segment missing",
            ])
    }

    @Test func malformedAcknowledgmentsAreRefused() throws {
        #expect(throws: X12Error(segment: 6, "unexpected segment AK2 in the 999")) {
            try Self.read(Self.body.replacingOccurrences(of: "IK5*A~\n", with: ""))
        }
        #expect(throws: X12Error(segment: 3, "the 999 has no AK9")) {
            try Self.read(Self.body.replacingOccurrences(of: "\nAK9*P*2*2*1~", with: ""))
        }
    }
}
