import FHIR
import Foundation
import RCMCore

/// A claim as stored: RCM's id, the claim, the bundle to send, and where it stands.
///
/// The bundle is kept as the stored JSON text and read into a ``FHIR/JSONValue`` only when asked
/// for (``bundle()``): of the claim workflow's dozen reads of a claim, only the steps that send the
/// bundle or read its procedures need it, and reading it at every read was a sixth of
/// `rcm process`'s CPU (docs/benchmarks.md).
public struct StoredClaim: Sendable, Hashable {
    public let id: ClaimID
    public let claim: Claim
    public let outcome: ClaimOutcome
    /// Total approved by the payer, once adjudicated.
    public let approvedTotal: Money?
    private let storedBundle: Bundle

    /// The ClaimRequestBundle, as given or as stored.
    private enum Bundle: Sendable {
        case value(JSONValue)
        case text(String)
        /// Left out by a list that does not need it (the denial queue).
        case notRead
    }

    public init(id: ClaimID, claim: Claim, bundle: JSONValue, outcome: ClaimOutcome, approvedTotal: Money?) {
        self.init(id: id, claim: claim, storedBundle: .value(bundle), outcome: outcome, approvedTotal: approvedTotal)
    }

    /// A claim whose bundle is the stored JSON text `bundleJSON` (UTF-8, RFC 8259), read when asked
    /// for; `nil`: not read at all (``bundle()`` then throws).
    public init(id: ClaimID, claim: Claim, bundleJSON: String?, outcome: ClaimOutcome, approvedTotal: Money?) {
        self.init(
            id: id, claim: claim, storedBundle: bundleJSON.map(Bundle.text) ?? .notRead, outcome: outcome,
            approvedTotal: approvedTotal)
    }

    private init(id: ClaimID, claim: Claim, storedBundle: Bundle, outcome: ClaimOutcome, approvedTotal: Money?) {
        self.id = id
        self.claim = claim
        self.storedBundle = storedBundle
        self.outcome = outcome
        self.approvedTotal = approvedTotal
    }

    /// The ClaimRequestBundle to send (see ``ClaimSubmission/bundle``).
    /// - Throws: ``StoredBundleError`` when the stored text is not JSON, or the bundle was not read.
    public func bundle() throws -> JSONValue {
        switch storedBundle {
        case .value(let value): return value
        case .notRead: throw StoredBundleError(claimID: id, reason: "this list does not read claims' bundles")
        case .text(let text):
            do {
                return try JSONValue(parsing: text)
            } catch {
                throw StoredBundleError(claimID: id, reason: FHIRError.describe(error))
            }
        }
    }

    /// Equal when every part is, the bundles compared as JSON values.
    public static func == (lhs: StoredClaim, rhs: StoredClaim) -> Bool {
        lhs.id == rhs.id && lhs.claim == rhs.claim && lhs.outcome == rhs.outcome
            && lhs.approvedTotal == rhs.approvedTotal && (try? lhs.bundle()) == (try? rhs.bundle())
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(claim)
        hasher.combine(outcome)
        hasher.combine(approvedTotal)
    }
}

/// A stored claim's bundle could not be read back.
public struct StoredBundleError: Error, CustomStringConvertible {
    public let claimID: ClaimID
    public let reason: String

    public var description: String { "claims.bundle of claim \(claimID) cannot be read: \(reason)" }
}
