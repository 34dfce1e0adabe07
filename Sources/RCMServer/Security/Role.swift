/// The roles a user or service account holds (docs DESIGN.md §8). What each may do is the
/// permission table's business (``AccessPolicy``); in short:
/// - `admin`: everything, including users and the audit log;
/// - `billing_manager`: all billing work, including write-offs and operating workflows;
/// - `biller`: works claims, denials and workflows (resume, pause, cancel);
/// - `coder`: reads claims, denials and workflows and the code sets (the coding review);
/// - `auditor`: reads everything, including the audit log; changes nothing;
/// - `read_only`: reads claims, denials, workflows and code sets; no audit log;
/// - `analyst`: reads the analytics (KPIs, A/R aging, denial breakdowns) and the code sets;
///   nothing patient-level.
public enum Role: String, CaseIterable, Sendable, Codable, Comparable {
    case admin
    case billingManager = "billing_manager"
    case biller
    case coder
    case auditor
    case readOnly = "read_only"
    case analyst

    public static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The role named `text`.
    /// - Throws: ``SecurityError/unknownRole(_:)``.
    public static func named(_ text: String) throws -> Role {
        guard let role = Role(rawValue: text) else { throw SecurityError.unknownRole(text) }
        return role
    }
}

/// Problems with users, roles and credentials, worded for the operator.
public enum SecurityError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownRole(String)
    case invalidEmail(String)
    case weakPassword(String)
    case userExists(String)
    case noSuchUser(String)
    case signingKey(String)

    public var description: String {
        switch self {
        case .unknownRole(let text):
            "'\(text)' is not a role (\(Role.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .invalidEmail(let text): "'\(text)' is not an e-mail address"
        case .weakPassword(let reason): "password rejected: \(reason)"
        case .userExists(let email): "a user \(email) already exists"
        case .noSuchUser(let email): "no user \(email)"
        case .signingKey(let reason): "RCM_JWT_SIGNING_KEY: \(reason)"
        }
    }
}
