/// The HCX protocol APIs (requests and their `on_*` callbacks), by path below the version prefix
/// (hcx-specs v0.7 `openapi_hcx.yaml`; docs reference/hcx-protocol.md §1.2).
public enum HCXOperation: String, Sendable, CaseIterable, Codable {
    case coverageEligibilityCheck = "/coverageeligibility/check"
    case coverageEligibilityOnCheck = "/coverageeligibility/on_check"
    case preauthSubmit = "/preauth/submit"
    case preauthOnSubmit = "/preauth/on_submit"
    case predeterminationSubmit = "/predetermination/submit"
    case predeterminationOnSubmit = "/predetermination/on_submit"
    case claimSubmit = "/claim/submit"
    case claimOnSubmit = "/claim/on_submit"
    case paymentNoticeRequest = "/paymentnotice/request"
    case paymentNoticeOnRequest = "/paymentnotice/on_request"
    case communicationRequest = "/communication/request"
    case communicationOnRequest = "/communication/on_request"
    case statusRequest = "/hcx/status"
    case statusOnRequest = "/hcx/on_status"

    /// The path below the version prefix, e.g. `/claim/submit`.
    public var path: String { rawValue }

    /// Path components for routing, e.g. `["claim", "submit"]`.
    public var pathComponents: [String] { path.split(separator: "/").map(String.init) }

    /// Route path components under a version prefix, e.g. `/v0.7` → `["v0.7", "claim", "submit"]`.
    public func routeComponents(versionPrefix: String) -> [String] {
        versionPrefix.split(separator: "/").map(String.init) + pathComponents
    }

    /// Whether this is a callback (`on_*`) rather than a request.
    public var isCallback: Bool { path.contains("/on_") }

    /// The callback answering this request (`/claim/submit` → `/claim/on_submit`), or `nil` for a callback.
    public var callback: HCXOperation? {
        guard !isCallback, let slash = path.lastIndex(of: "/") else { return nil }
        return HCXOperation(rawValue: path[..<slash] + "/on_" + path[path.index(after: slash)...])
    }

    /// The request a callback answers (`/claim/on_submit` → `/claim/submit`), or `nil` for a request.
    public var request: HCXOperation? {
        guard isCallback else { return nil }
        return HCXOperation(rawValue: path.replacingOccurrences(of: "/on_", with: "/"))
    }

    /// What a provider hosts: the callbacks to its own requests and the payer-initiated requests
    /// (hcx-platform issue #198; docs reference/hcx-protocol.md §1.4).
    public static let providerInbound: [HCXOperation] = [
        .coverageEligibilityOnCheck, .preauthOnSubmit, .predeterminationOnSubmit, .claimOnSubmit,
        .paymentNoticeRequest, .communicationRequest, .statusOnRequest,
    ]

    /// A short label for metrics and logs, e.g. `claim.submit`.
    public var label: String { pathComponents.joined(separator: ".") }
}
