import Foundation
import RCMCore
import Vapor

/// A code as the API and `rcm codes` show it.
public struct CodeDTO: Content, Sendable {
    public let system: String
    /// Display form (`E11.9`).
    public let code: String
    public let description: String?
    public let billable: Bool
    /// `billable`, `header` or `unknown` (lookups only).
    public let status: String?
    /// The release consulted, e.g. `FY2026`.
    public let release: String?
    /// For a header: billable codes below it; for an unknown code: codes starting alike.
    public let suggestions: [String]?

    public init(_ entry: CodeEntry, system: CodeSystem) {
        self.system = system.rawValue
        code = system.display(entry.code)
        description = entry.description
        billable = entry.billable
        status = nil
        release = nil
        suggestions = nil
    }

    public init(_ lookup: CodeLookup) {
        system = lookup.system.rawValue
        code = lookup.system.display(lookup.code)
        description = lookup.description
        billable = lookup.status == .billable
        status = lookup.status.rawValue
        release = lookup.release
        suggestions = lookup.suggestions.map(lookup.system.display)
    }
}
