import Foundation

/// The code-set releases RCM knows, by system, chosen by date of service.
public struct CodeSetCatalog: Sendable {
    /// Releases per system, newest first.
    public let releases: [CodeSystem: [CodeSetRelease]]

    public init(releases: [CodeSetRelease]) {
        self.releases = Dictionary(grouping: releases, by: \.system).mapValues { list in
            // Newest start first; a release without a start date counts as the oldest.
            list.sorted { lhs, rhs in
                switch (lhs.validFrom, rhs.validFrom) {
                case (let left?, let right?): left > right
                case (.some, nil): true
                case (nil, _): false
                }
            }
        }
    }

    /// The release for a date of service: the one whose period holds it, else the newest (for a
    /// date after the newest release) or the oldest (before the oldest). `nil` = no data for the system.
    public func release(_ system: CodeSystem, on date: ServiceDate?) -> CodeSetRelease? {
        guard let list = releases[system], let newest = list.first else { return nil }
        guard let date else { return newest }
        if let applying = list.first(where: { $0.applies(to: date) }) { return applying }
        if let start = newest.validFrom, date >= start { return newest }
        return list.last
    }

    /// Whether a date of service precedes every shipped release of a system (it is then checked
    /// against the oldest one, which may not be what applied then).
    public func predatesReleases(_ system: CodeSystem, _ date: ServiceDate) -> Bool {
        guard let oldest = releases[system]?.last?.validFrom else { return false }
        return date < oldest
    }

    /// Looks a code up for a date of service (the newest release when `date` is `nil`). For a date
    /// before the oldest shipped release, the oldest is used and ``CodeLookup/release`` says so.
    public func lookup(_ system: CodeSystem, _ code: String, on date: ServiceDate? = nil) -> CodeLookup {
        let found = plainLookup(system, code, on: date)
        guard let date, predatesReleases(system, date), let release = found.release else { return found }
        return CodeLookup(
            system: found.system, input: found.input, code: found.code, status: found.status,
            description: found.description, release: "\(release), the oldest shipped: \(date) is earlier",
            suggestions: found.suggestions)
    }

    private func plainLookup(_ system: CodeSystem, _ code: String, on date: ServiceDate?) -> CodeLookup {
        let normalized = CodeSystem.normalized(code)
        if system == .cpt {
            let entry = release(.cpt, on: date)?.entry(normalized)
            let wellFormed = normalized.range(of: #"^[0-9]{4}[0-9FTU]$"#, options: .regularExpression) != nil
            return CodeLookup(
                system: system, input: code, code: normalized, status: wellFormed ? .billable : .unknown,
                description: entry?.description,
                release: entry == nil ? "format check (CPT is AMA-licensed)" : "imported",
                suggestions: [])
        }
        guard let release = release(system, on: date) else {
            return CodeLookup(
                system: system, input: code, code: normalized, status: .unknown, description: nil, release: nil,
                suggestions: [])
        }
        if let entry = release.entry(normalized) {
            return CodeLookup(
                system: system, input: code, code: normalized, status: entry.billable ? .billable : .header,
                description: entry.description, release: release.name,
                suggestions: entry.billable ? [] : billableBelow(normalized, in: release))
        }
        // Older releases hold billable codes only: a header is recognised from the newest one.
        if let newest = releases[system]?.first, newest.name != release.name, let entry = newest.entry(normalized),
            !entry.billable
        {
            return CodeLookup(
                system: system, input: code, code: normalized, status: .header, description: entry.description,
                release: release.name, suggestions: billableBelow(normalized, in: release))
        }
        return CodeLookup(
            system: system, input: code, code: normalized, status: .unknown, description: nil, release: release.name,
            suggestions: release.withPrefix(String(normalized.prefix(4)), limit: 5).filter(\.billable).map(\.code))
    }

    private func billableBelow(_ code: String, in release: CodeSetRelease) -> [String] {
        let below = release.billableChildren(of: code, limit: 20).map(\.code)
        if !below.isEmpty { return below }
        return releases[release.system]?.first?.billableChildren(of: code, limit: 20).map(\.code) ?? []
    }

    /// Searches a system's newest release: codes by prefix when `text` looks like a code, else by
    /// the words of their descriptions.
    public func search(_ system: CodeSystem, _ text: String, limit: Int = 50) -> [CodeEntry] {
        guard let release = release(system, on: nil) else { return [] }
        let normalized = CodeSystem.normalized(text)
        let looksLikeCode =
            !normalized.isEmpty && normalized.count <= 8 && normalized.first?.isLetter != false
            && normalized.dropFirst().allSatisfy { $0.isNumber || $0.isUppercase }
            && normalized.contains(where: \.isNumber)
        if looksLikeCode || (system != .icd10cm && normalized.allSatisfy { $0.isNumber || $0.isUppercase }) {
            let byPrefix = release.withPrefix(normalized, limit: limit)
            if !byPrefix.isEmpty { return byPrefix }
        }
        return release.search(text, limit: limit)
    }
}

/// What a lookup found.
public struct CodeLookup: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// A code that may be billed (for CPT: well formed).
        case billable
        /// A category or subcategory: valid, but a more specific code must be billed.
        case header
        /// Not in the release that applies.
        case unknown
    }

    public let system: CodeSystem
    /// The text as given.
    public let input: String
    /// Normalised (upper case, no dot).
    public let code: String
    public let status: Status
    public let description: String?
    /// The release consulted (`FY2026`), or how CPT was checked.
    public let release: String?
    /// For a header: billable codes below it; for an unknown code: billable codes sharing its start.
    public let suggestions: [String]
}
