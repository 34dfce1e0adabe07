import RCMCore

/// The billing office's payer configurations (`payer_configs`). Implemented over Fluent in `RCMServer`.
public protocol PayerDirectory: Sendable {
    /// The configuration of a payer (by the identifier claims name it with), if one was set.
    func configuration(for payer: String) async throws -> PayerConfiguration?

    /// Sets a payer's configuration, replacing an earlier one.
    /// - Returns: the configuration it replaced, if any.
    @discardableResult
    func save(_ configuration: PayerConfiguration) async throws -> PayerConfiguration?

    /// Every configured payer, by identifier.
    func all() async throws -> [PayerConfiguration]
}
