import Foundation
import Testing

@testable import X12

/// RCM's strict tokenizer: separators from ISA, and every bad file refused in one line naming the
/// segment.
@Suite struct X12ReaderTests {
    static func text() throws -> String { try Professional837Tests.interchange() }

    static func error(_ text: String) -> String? {
        do {
            _ = try X12Interchange(text: text)
            return nil
        } catch let error as X12Error {
            return error.description
        } catch {
            return "\(error)"
        }
    }

    @Test func separatorsComeFromISA() throws {
        // The same interchange with other separators (| for elements, > for components, ! for
        // segments, also on one line) reads the same.
        let text = try Self.text()
        let other = text.replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: "*", with: "|")
            .replacingOccurrences(of: ":", with: ">").replacingOccurrences(of: "~", with: "!")
        let interchange = try X12Interchange(text: other)
        #expect(interchange.delimiters == X12Delimiters(element: "|", repetition: "^", component: ">", segment: "!"))
        let original = try X12Interchange(text: text)
        #expect(
            interchange.groups[0].transactionSets[0].segments == original.groups[0].transactionSets[0].segments)
        #expect(
            original.groups[0].transactionSets[0].segments.first { $0.id == "SV1" }?.components(1) == [
                "HC", "99214", "25",
            ])
    }

    @Test func aLineBreakMayBeTheSegmentTerminator() throws {
        // Some clearinghouses end segments with a line break instead of ~ (LF, or CR LF).
        let text = try Self.text()
        let original = try X12Interchange(text: text)
        for lineEnd in ["\n", "\r\n"] {
            let newline = text.replacingOccurrences(of: "~\n", with: lineEnd).replacingOccurrences(
                of: "~", with: lineEnd)
            let interchange = try X12Interchange(text: newline)
            // CR LF: CR ends the segment, the LF is a line break after it.
            #expect(interchange.delimiters.segment == (lineEnd == "\n" ? "\n" : "\r"))
            #expect(
                interchange.groups[0].transactionSets[0].segments == original.groups[0].transactionSets[0].segments)
        }
    }

    @Test func badFilesAreRefusedNamingTheSegment() throws {
        let text = try Self.text()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // ISA one character short (its sender id padded to 14).
        #expect(
            Self.error(text.replacingOccurrences(of: "*ZZ*SUB12345       *", with: "*ZZ*SUB12345      *"))
                == "segment 1: ISA is not 106 characters wide: ISA07 must be 2 character(s) after the separator at offset 50"
        )
        // Truncated in the middle of a segment.
        #expect(
            Self.error(lines.prefix(20).joined(separator: "\n") + "\nCLM*RCM7F3A9C21*249")
                == "segment 21: CLM has no segment terminator: the file is truncated")
        // Cut after a whole segment: no trailers.
        #expect(
            Self.error(lines.prefix(20).joined(separator: "\n"))
                == "segment 20: the file ends before SE (transaction set trailer of ST*837*0001): it is truncated")
        // Counts and control numbers.
        #expect(
            Self.error(text.replacingOccurrences(of: "SE*47*0001~", with: "SE*46*0001~"))
                == "segment 49: SE01 is 46 but the set has 47 segments from ST to SE")
        #expect(
            Self.error(text.replacingOccurrences(of: "GE*1*42~", with: "GE*2*42~"))
                == "segment 50: GE01 is 2 but the group holds 1 transaction set(s)")
        #expect(
            Self.error(text.replacingOccurrences(of: "IEA*1*000000042~", with: "IEA*1*000000043~"))
                == "segment 51: IEA02 000000043 is not ISA13 000000042")
        #expect(Self.error(text + "\nISA*00~") == "segment 52: ISA after IEA: one interchange per file")
        #expect(Self.error("ISA*00*") == "segment 1: the interchange must start with an ISA segment of 106 characters")
        #expect(
            Self.error(text.replacingOccurrences(of: "LX*1~", with: "lx*1~"))
                == "segment 22: 'lx' is not a segment identifier")
        // A NUL byte in data.
        #expect(
            Self.error(text.replacingOccurrences(of: "LX*1~", with: "LX*1\u{0}~"))
                == "segment 22: LX holds a control character (byte 0x0), which X12 does not allow in data")
    }
}
