import HCX
import RCMCore
import RevenueCycle
import Vapor

/// Registers the routes every RCM server has: health, metrics, authentication and the audit
/// trail; and puts every route registered before the application boots behind the permission
/// table (``AccessPolicy``, ``AccessControlLifecycle``).
/// - Parameter bcryptCost: bcrypt cost of new passwords (12; tests pass less).
public func configureRoutes(_ app: Application, _ configuration: RCMConfiguration, bcryptCost: Int = 12) throws {
    try app.register(collection: HealthController(location: configuration.database))
    try app.register(collection: MetricsController())
    try app.register(collection: AuthController())
    try app.register(collection: AuditController())
    app.lifecycle.use(AccessControlLifecycle(configuration: configuration, bcryptCost: bcryptCost))
}

/// Registers the HCX callback routes (under the configured version prefix), served by `services`,
/// accepting calls whose bearer JWT `gateway` verifies.
public func configureHCXCallbacks(
    _ app: Application, _ configuration: RCMConfiguration, services: ClaimServices, gateway: HCXGatewayAuthenticator
) throws {
    try app.register(
        collection: HCXCallbackController(
            versionPrefix: configuration.hcxVersionPrefix, maxBodyBytes: configuration.hcxMaxBodyBytes,
            gateway: gateway, inbox: services.inbox, receiver: services.receiver, poster: services.poster,
            eligibility: services.eligibility))
}

/// Registers `/api/v1/workflows`, `/api/v1/claims`, `/api/v1/denials`, `/api/v1/encounters`,
/// `/api/v1/payments` and `/api/v1/analytics` over `services`.
/// - Parameter chargemaster: prices FHIR clinical bundles posted to `/api/v1/encounters`
///   (`RCM_CHARGEMASTER`); without it they are refused with 422.
public func configureWorkflowRoutes(_ app: Application, services: ClaimServices, chargemaster: Chargemaster? = nil)
    throws
{
    let (engine, denials) = (services.engine, services.denials)
    try app.register(collection: WorkflowController(engine: engine))
    try app.register(
        collection: ClaimController(browser: { ClaimBrowser(database: $0.db, engine: engine, denials: denials) }))
    try app.register(collection: DenialController(queue: services.denials, desk: services.desk))
    try app.register(
        collection: EncounterController(
            intake: ClaimIntake(claims: services.claims, engine: engine),
            reader: IntakeReader(chargemaster: chargemaster)))
    try app.register(
        collection: PaymentController(poster: services.poster, ledger: services.ledger, calendar: services.calendar))
    try app.register(collection: AnalyticsController(report: services.analytics))
}

/// Registers `/api/v1/codes` over a code-set catalog.
public func configureCodeRoutes(_ app: Application, catalog: CodeSetCatalog) throws {
    try app.register(collection: CodeController(catalog: catalog))
}
