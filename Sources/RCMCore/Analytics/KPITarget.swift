import Foundation

/// A KPI's target on the dashboard, with its green/amber/red rule: green when the value meets the
/// target, amber when it misses by no more than ``amberBand``, red beyond (or no value: grey).
///
/// The defaults are the targets the issue names from HFMA/MGMA/AAFP practice (reference
/// `rcm-domain.md`, "KPI definitions"): clean claim rate ≥ 95 %, initial denial rate ≤ 5 %, days in
/// A/R ≤ 40, A/R over 90 days ≤ 15 %, net collection rate ≥ 95 %; the amber band is 5 points for a
/// percentage and 10 days for days.
public struct KPITarget: Sendable, Hashable {
    public enum Direction: String, Sendable { case atLeast, atMost }
    public enum Status: String, Sendable { case green, amber, red, none }

    public let kpi: KPI
    public let target: Decimal
    public let direction: Direction
    public let amberBand: Decimal

    public init(_ kpi: KPI, _ direction: Direction, _ target: Decimal, amberBand: Decimal? = nil) {
        self.kpi = kpi
        self.direction = direction
        self.target = target
        self.amberBand = amberBand ?? (kpi.unit == .days ? 10 : 5)
    }

    /// Where `value` stands against the target.
    public func status(of value: Decimal?) -> Status {
        guard let value else { return .none }
        let shortfall = direction == .atLeast ? target - value : value - target
        if shortfall <= 0 { return .green }
        return shortfall <= amberBand ? .amber : .red
    }

    /// `≥ 95 %`, `≤ 40 days`.
    public var text: String {
        "\(direction == .atLeast ? "≥" : "≤") \(target)\(kpi.unit == .percent ? " %" : " days")"
    }

    /// The dashboard's targets.
    public static let defaults: [KPITarget] = [
        KPITarget(.cleanClaimRate, .atLeast, 95), KPITarget(.initialDenialRate, .atMost, 5),
        KPITarget(.daysInAR, .atMost, 40), KPITarget(.arOver90DaysShare, .atMost, 15),
        KPITarget(.netCollectionRate, .atLeast, 95),
    ]

    /// The defaults with the targets `text` sets: `kpi=value` pairs separated by commas
    /// (`clean_claim_rate=97,days_in_ar=35`), as `RCM_KPI_TARGETS` gives them.
    /// - Throws: ``KPITargetError`` naming the pair for an unknown KPI, one without a target, or a
    ///   value that is not a non-negative number.
    public static func configured(_ text: String?) throws -> [KPITarget] {
        var targets = defaults
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return targets }
        for pair in text.split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let kpi = KPI(rawValue: parts[0]),
                let index = targets.firstIndex(where: { $0.kpi == kpi })
            else {
                throw KPITargetError(
                    "'\(pair)': name one of \(defaults.map(\.kpi.rawValue).joined(separator: ", ")) as kpi=value")
            }
            guard let value = DecimalText.parse(parts[1]), value >= 0 else {
                throw KPITargetError("'\(pair)': the target is not a non-negative number")
            }
            targets[index] = KPITarget(kpi, targets[index].direction, value)
        }
        return targets
    }
}

/// `RCM_KPI_TARGETS` could not be read.
public struct KPITargetError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
