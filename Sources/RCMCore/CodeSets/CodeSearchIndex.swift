import Foundation

/// The word index of one code-set release, built once, on the first word search (loading stays
/// fast for lookups): every word of each code and description (lower case, letters and digits),
/// the codes each word occurs in, and the order results are given in — billable codes first, then
/// the shortest (most general) descriptions, then code order.
///
/// A search finds the codes where every query word starts a word. It reads only what it returns:
/// for a rare word, the codes under the words it starts (in the sorted vocabulary), ranked; for a
/// common one (`e`: tens of thousands of codes), the codes in rank order until `limit` match. A
/// search scanned and sorted every code before (ICD-10-CM `q=E`: 1.1–1.6 s in a debug build,
/// issue 19).
final class CodeSearchIndex: @unchecked Sendable {
    /// Above this many candidates, walking the rank order is cheaper than ranking the candidates.
    static let candidateLimit = 4_096

    private struct Built {
        /// " code word word …" per entry, for checking every word of a query.
        var lines: [String]
        /// Entry indices, best first.
        var order: [Int32]
        /// An entry's place in ``order``.
        var rank: [Int32]
        /// Every word, sorted, and the entries it occurs in (by index).
        var vocabulary: [String]
        var postings: [[Int32]]
    }

    private let lock = NSLock()
    private var built: Built?
    private let entries: [CodeEntry]

    /// - Parameter entries: the release's entries, in the order whose indices ``search(_:limit:)`` returns.
    init(_ entries: [CodeEntry]) { self.entries = entries }

    /// The indices of the entries where every word of `words` (lower case) starts a word of the
    /// code or description, best first, at most `limit`.
    func search(_ words: [String], limit: Int) -> [Int] {
        let index = lock.withLock {
            if let built { return built }
            let made = Self.build(entries)
            built = made
            return made
        }
        guard !words.isEmpty, limit > 0 else { return [] }
        let needles = words.map { " " + $0 }
        func matches(_ entry: Int) -> Bool { needles.allSatisfy { index.lines[entry].contains($0) } }

        // The query word with the fewest candidates decides how to search.
        let ranges = words.map { Self.prefixRange($0, in: index.vocabulary) }
        let sizes = ranges.map { range in range.reduce(0) { $0 + index.postings[$1].count } }
        let fewest = sizes.indices.min { sizes[$0] < sizes[$1] }!
        var found: [Int] = []
        if sizes[fewest] > Self.candidateLimit {
            for entry in index.order where matches(Int(entry)) {
                found.append(Int(entry))
                if found.count == limit { break }
            }
            return found
        }
        var candidates = Set<Int32>()
        for word in ranges[fewest] { candidates.formUnion(index.postings[word]) }
        for entry in candidates.sorted(by: { index.rank[Int($0)] < index.rank[Int($1)] }) where matches(Int(entry)) {
            found.append(Int(entry))
            if found.count == limit { break }
        }
        return found
    }

    /// The vocabulary indices of the words that start with `prefix`.
    private static func prefixRange(_ prefix: String, in vocabulary: [String]) -> Range<Int> {
        var low = 0
        var high = vocabulary.count
        while low < high {
            let middle = (low + high) / 2
            if vocabulary[middle] < prefix { low = middle + 1 } else { high = middle }
        }
        var end = low
        while end < vocabulary.count, vocabulary[end].hasPrefix(prefix) { end += 1 }
        return low..<end
    }

    private static func build(_ entries: [CodeEntry]) -> Built {
        let lines = entries.map { entry in
            " "
                + String(
                    "\(entry.code) \(entry.description)".lowercased().unicodeScalars.map {
                        CharacterSet.alphanumerics.contains($0) ? Character($0) : " "
                    })
        }
        let order = entries.indices.sorted {
            (entries[$0].billable ? 0 : 1, entries[$0].description.count, entries[$0].code) < (
                entries[$1].billable ? 0 : 1, entries[$1].description.count, entries[$1].code
            )
        }.map { Int32($0) }
        var rank = [Int32](repeating: 0, count: entries.count)
        for (place, entry) in order.enumerated() { rank[Int(entry)] = Int32(place) }
        var byWord: [Substring: [Int32]] = [:]
        for (entry, line) in lines.enumerated() {
            for word in Set(line.split(separator: " ")) { byWord[word, default: []].append(Int32(entry)) }
        }
        let vocabulary = byWord.keys.sorted()
        return Built(
            lines: lines, order: order, rank: rank, vocabulary: vocabulary.map(String.init),
            postings: vocabulary.map { byWord[$0]! })
    }
}
