import RCMCore

/// X12's `D8` dates (`CCYYMMDD`), read and written in one place for every transaction set.
extension ServiceDate {
    /// A date of X12's `D8` form, `CCYYMMDD`; `nil` when it is not one.
    public init?(x12 text: String) {
        guard text.count == 8, text.allSatisfy({ $0.isASCII && $0.isNumber }), let year = Int(text.prefix(4)),
            let month = Int(text.dropFirst(4).prefix(2)), let day = Int(text.suffix(2)),
            let date = try? ServiceDate(year: year, month: month, day: day)
        else { return nil }
        self = date
    }

    /// The date as X12's `D8` writes it: `CCYYMMDD`.
    public var x12Text: String { description.replacingOccurrences(of: "-", with: "") }
}
