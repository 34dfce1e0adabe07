import Foundation

/// One release of a code set (e.g. ICD-10-CM FY2026): its codes, looked up exactly, by prefix and
/// by words of their descriptions.
public struct CodeSetRelease: Sendable {
    public let system: CodeSystem
    /// The release's name, e.g. `FY2026`.
    public let name: String
    /// First and last dates of service it applies to (inclusive); `nil` = unbounded.
    public let validFrom: ServiceDate?
    public let validThrough: ServiceDate?
    /// Codes in order.
    public let codes: [String]
    private let entries: [String: CodeEntry]
    /// The word index, built on the first word search (each query word must start a word).
    private let searchIndex: CodeSearchIndex

    /// A release of `entries`.
    public init(
        system: CodeSystem, name: String, validFrom: ServiceDate?, validThrough: ServiceDate?, entries: [CodeEntry]
    ) {
        self.system = system
        self.name = name
        self.validFrom = validFrom
        self.validThrough = validThrough
        let sorted = entries.sorted { $0.code < $1.code }
        self.codes = sorted.map(\.code)
        self.entries = Dictionary(sorted.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        self.searchIndex = CodeSearchIndex(sorted)
    }

    /// Reads a release from tab-separated text with a header line: `code`, `description`, and for
    /// ICD-10-CM `kind` (`B` billable, `H` header), `excludes1`, `manifestation`, `seventh`; for
    /// HCPCS `kind` (`P` procedure, `M` modifier: both valid codes of their kind) and `short`
    /// (data/code-sets/SOURCES.md). Files without `kind` hold billable codes only.
    /// - Parameter kinds: only the rows of these kinds (HCPCS procedures and modifiers are two
    ///   releases of one file); `nil`: every row.
    /// - Throws: ``CodeSetError/malformed(_:)`` naming the line.
    public init(
        system: CodeSystem, name: String, validFrom: ServiceDate?, validThrough: ServiceDate?, tsv text: String,
        kinds: Set<String>? = nil
    ) throws {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).makeIterator()
        guard let header = lines.next()?.split(separator: "\t", omittingEmptySubsequences: false).map(String.init),
            let codeColumn = header.firstIndex(of: "code"), let descriptionColumn = header.firstIndex(of: "description")
        else { throw CodeSetError.malformed("\(system.rawValue) \(name): the header must name code and description") }
        let kind = header.firstIndex(of: "kind")
        let excludes = header.firstIndex(of: "excludes1")
        let manifestation = header.firstIndex(of: "manifestation")
        let seventh = header.firstIndex(of: "seventh")
        var entries: [CodeEntry] = []
        var number = 1
        while let line = lines.next() {
            number += 1
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            func field(_ index: Int?) -> Substring { index.flatMap { $0 < fields.count ? fields[$0] : nil } ?? "" }
            if let kinds, !kinds.contains(String(field(kind))) { continue }
            let code = CodeSystem.normalized(String(field(codeColumn)))
            guard !code.isEmpty else {
                throw CodeSetError.malformed("\(system.rawValue) \(name): line \(number) has no code")
            }
            entries.append(
                CodeEntry(
                    code: code, description: String(field(descriptionColumn)),
                    billable: kind == nil || ["B", "P", "M"].contains(field(kind)),
                    excludes1: field(excludes).split(separator: ";").map(String.init),
                    manifestation: field(manifestation) == "M",
                    seventhCharacters: Dictionary(
                        field(seventh).split(separator: "|").compactMap { pair in
                            pair.firstIndex(of: "=").map {
                                (String(pair[..<$0]), String(pair[pair.index(after: $0)...]))
                            }
                        }, uniquingKeysWith: { first, _ in first })))
        }
        self.init(system: system, name: name, validFrom: validFrom, validThrough: validThrough, entries: entries)
    }

    /// Whether the release applies to a date of service.
    public func applies(to date: ServiceDate) -> Bool {
        (validFrom.map { $0 <= date } ?? true) && (validThrough.map { date <= $0 } ?? true)
    }

    /// The entry for a code (any case, dotted or not).
    public func entry(_ code: String) -> CodeEntry? { entries[CodeSystem.normalized(code)] }

    /// The entries whose codes start with `prefix` (normalised), in code order, at most `limit`.
    public func withPrefix(_ prefix: String, limit: Int = 50) -> [CodeEntry] {
        let normalized = CodeSystem.normalized(prefix)
        var low = 0
        var high = codes.count
        while low < high {
            let middle = (low + high) / 2
            if codes[middle] < normalized { low = middle + 1 } else { high = middle }
        }
        var found: [CodeEntry] = []
        var index = low
        while index < codes.count, found.count < limit, codes[index].hasPrefix(normalized) {
            if let entry = entries[codes[index]] { found.append(entry) }
            index += 1
        }
        return found
    }

    /// The billable codes below a header code.
    public func billableChildren(of code: String, limit: Int = 20) -> [CodeEntry] {
        withPrefix(code, limit: .max).filter { $0.billable && $0.code != CodeSystem.normalized(code) }
            .prefix(limit).map { $0 }
    }

    /// The header codes above a code, nearest first (`S52521A` → S52521, S5252, S525, S52).
    public func ancestors(of code: String) -> [CodeEntry] {
        let normalized = CodeSystem.normalized(code)
        guard normalized.count > 3 else { return [] }
        return (3..<normalized.count).reversed().compactMap { entries[String(normalized.prefix($0))] }
    }

    /// Entries where every word of `text` starts a word of the code or description
    /// (case-insensitive): billable codes first, the shortest (most general) descriptions first,
    /// then in code order; at most `limit`.
    public func search(_ text: String, limit: Int = 50) -> [CodeEntry] {
        let words = text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        guard !words.isEmpty else { return [] }
        return searchIndex.search(words, limit: limit).compactMap { entries[codes[$0]] }
    }

    /// Builds the word index now rather than at the first word search (a server does it at start,
    /// in the background, so that no user waits for it: seconds in a debug build).
    public func prepareSearch() { _ = searchIndex.search(["a"], limit: 1) }

    /// Whether `code` matches an Excludes1 pattern (`E08*`, `E00-E07`, `E110-E118`, or a plain code).
    public static func matches(_ code: String, pattern: String) -> Bool {
        if pattern.hasSuffix("*") { return code.hasPrefix(pattern.dropLast()) }
        let bounds = pattern.split(separator: "-")
        if bounds.count == 2 {
            // Compare at the precision of the range: E00-E07 by category, E110-E118 by subcategory.
            let start = bounds[0]
            let end = bounds[1].prefix(start.count)
            let head = code.prefix(start.count)
            return head.count == start.count && head >= start && head <= end
        }
        return code == pattern
    }
}
