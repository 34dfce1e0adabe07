import Vapor

/// Registers the routes every RCM server has: health.
public func configureRoutes(_ app: Application, _ configuration: RCMConfiguration) throws {
    try app.register(collection: HealthController(location: configuration.database))
}

/// Registers the HCX callback routes (under the configured version prefix), served by `services`.
public func configureHCXCallbacks(_ app: Application, _ configuration: RCMConfiguration, services: ClaimServices) throws
{
    try app.register(
        collection: HCXCallbackController(
            versionPrefix: configuration.hcxVersionPrefix, maxBodyBytes: configuration.hcxMaxBodyBytes,
            inbox: services.inbox, receiver: services.receiver))
}
