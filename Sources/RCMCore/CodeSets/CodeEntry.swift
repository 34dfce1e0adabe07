/// One code of a release: its text, title and what the code set says about its use.
public struct CodeEntry: Sendable, Hashable {
    /// The code, normalised (upper case, no dot).
    public let code: String
    public let description: String
    /// Whether it may be billed (a leaf); header codes (categories, subcategories) may not.
    public let billable: Bool
    /// ICD-10-CM Excludes1 patterns from this code's notes (`E08*`, `E00-E07`): codes that may not
    /// be reported with it (nor with anything below it).
    public let excludes1: [String]
    /// ICD-10-CM manifestation code ("in diseases classified elsewhere"): never listed first.
    public let manifestation: Bool
    /// ICD-10-CM 7th-character values this code defines for the codes below it (`A` → initial encounter).
    public let seventhCharacters: [String: String]

    public init(
        code: String, description: String, billable: Bool, excludes1: [String] = [], manifestation: Bool = false,
        seventhCharacters: [String: String] = [:]
    ) {
        self.code = code
        self.description = description
        self.billable = billable
        self.excludes1 = excludes1
        self.manifestation = manifestation
        self.seventhCharacters = seventhCharacters
    }
}
