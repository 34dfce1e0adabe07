import Foundation

/// The rules for a claim line's billing modifiers and narrative, as X12 837P (005010X222A1) carries
/// them in SV101: up to four modifiers (SV101-3 to SV101-6), each two characters (CPT's, such as
/// `25`, and HCPCS Level II's, such as `GT` or `RT`), and a description of up to 80 characters
/// (SV101-7), which payers require for not-otherwise-classified codes.
public enum ServiceModifiers {
    /// Modifiers on one line, at most.
    public static let maximum = 4
    /// Characters of a line's narrative, at most.
    public static let narrativeLength = 80

    /// `text` as a modifier — trimmed, upper case (`gt` → `GT`) — or `nil` when it is not two ASCII
    /// letters or digits.
    public static func normalized(_ text: String) -> String? {
        let modifier = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard modifier.count == 2,
            modifier.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) })
        else { return nil }
        return modifier
    }
}
