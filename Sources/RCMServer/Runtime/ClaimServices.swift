import Fluent
import Foundation
import HCX
import Logging
import RCMCore
import RevenueCycle
import Vapor
import Workflow

/// The claim side of RCM wired together over one database: the Fluent stores, the workflow
/// engine with the claim workflow, the callback receiver, the payment poster and the batch processor.
public struct ClaimServices: Sendable {
    public let claims: any ClaimRepository
    public let engine: WorkflowEngine
    public let inbox: HCXInbox
    public let receiver: ClaimResponseReceiver
    /// Posts payments announced over `/paymentnotice/request`, and manual ones.
    public let poster: PaymentPoster
    /// The posted payments (`payments`), with the unmatched queue.
    public let ledger: any PaymentLedger
    /// Records eligibility answers and wakes the waiting claims.
    public let eligibility: EligibilityReceiver
    /// Denied and stopped claims, categorised, most at stake first.
    public let denials: DenialQueue
    /// Appeals, write-offs and resubmissions of claims in the denial queue.
    public let desk: DenialDesk
    /// The payer configurations (timely-filing limits).
    public let payers: any PayerDirectory
    /// The audit trail (for operator commands; the API writes it in ``AccessControlMiddleware``).
    public let audit: AuditTrail
    public let processor: ClaimBatchProcessor
    /// Sends claims by their payer's transport (HCX, or X12 837P files).
    public let router: SubmissionRouter
    /// Acts on the 999 and 835 files X12 payers' clearinghouses return.
    public let remittances: RemittancePoster
    /// The facility's calendar: what day "today" is (`RCM_NOW`, `--as-of`).
    public let calendar: BillingCalendar
    /// The revenue-cycle KPIs and breakdowns (``AnalyticsReport``).
    public let analytics: AnalyticsReport
    /// Runs due workflows (retries, woken waits, resumed runs) with `RCM_WORKERS` loops.
    public var worker: WorkflowWorker { WorkflowWorker(engine: engine, concurrency: max(1, workers)) }
    private let workers: Int
    private let workflows: FluentWorkflowStore
    /// Whether one process at a time uses the database (SQLite), so that leases found at start-up
    /// are those of processes that ended.
    private let singleProcessStore: Bool
    private let logger: Logger
    private let x12SettingsPath: String?

    /// Wires the services.
    /// - Parameters:
    ///   - hcx: how to reach the payers' gateway and open what they send.
    ///   - now: the clock.
    ///   - codeSets: the code sets the coding step reviews claims against.
    public init(
        database: any Database, configuration: RCMConfiguration, hcx: HCXConnection, codeSets: CodeSetCatalog,
        now: @escaping @Sendable () -> Date = Date.init, logger: Logger
    ) {
        let claims = FluentClaimRepository(database: database)
        let messages = FluentHCXMessageLog(database: database)
        let workflows = FluentWorkflowStore(database: database)
        let payers = FluentPayerDirectory(database: database)
        let audit = AuditTrail(database: database, hmacKey: configuration.auditHMACKey)
        self.audit = audit
        self.payers = payers
        let recipientCode = configuration.recipientCode
        let calendar = BillingCalendar(fixedDay: configuration.billingDay, now: now)
        self.calendar = calendar
        analytics = AnalyticsReport(database: database, calendar: calendar)
        let submitter = ClaimSubmitter(
            claims: claims, messages: messages, hcx: hcx, recipientCode: { _ in recipientCode }, now: now,
            logger: logger)
        let ledger = FluentPaymentLedger(database: database)
        let poster = PaymentPoster(
            claims: claims, messages: messages, ledger: ledger, privateKey: hcx.privateKey, now: now, logger: logger)
        let settingsPath = configuration.x12SettingsPath
        let x12Submissions = FluentX12SubmissionLog(database: database)
        let x12Settings: @Sendable () throws -> X12Settings = {
            guard let settingsPath else {
                throw X12SettingsError(
                    "a claim for an X12 payer needs RCM_X12_SETTINGS, the X12 settings file "
                        + "(docs/billing.md \"X12 payers\")")
            }
            return try X12Settings.load(path: settingsPath)
        }
        let router = SubmissionRouter(
            claims: claims, payers: payers, hcx: submitter,
            x12: X12ClaimSubmitter(
                claims: claims, submissions: x12Submissions, settings: x12Settings, now: now, logger: logger))
        self.router = router
        let definition = ClaimWorkflow.definition(
            claims: claims, submitter: submitter, router: router, coding: CodingReview(catalog: codeSets),
            payers: payers,
            activity: AuditedClaimActivity(trail: audit), payments: poster,
            adjudicationTimeoutSeconds: configuration.adjudicationTimeoutSeconds, calendar: calendar, now: now)
        let engine = WorkflowEngine(
            store: workflows, definitions: [definition], leaseSeconds: configuration.leaseSeconds, now: now,
            isTransient: DatabaseTransience.isTransient, maxHoldSeconds: configuration.stepTimeoutSeconds,
            logger: logger)
        self.claims = claims
        self.engine = engine
        self.workflows = workflows
        self.logger = logger
        self.x12SettingsPath = configuration.x12SettingsPath
        if case .sqlite = configuration.database { singleProcessStore = true } else { singleProcessStore = false }
        self.workers = configuration.workers
        self.receiver = ClaimResponseReceiver(
            claims: claims, messages: messages, engine: engine, privateKey: hcx.privateKey, now: now, logger: logger)
        self.ledger = ledger
        let resolutions = FluentDenialResolutionLog(database: database)
        self.denials = DenialQueue(claims: claims, calendar: calendar)
        self.desk = DenialDesk(claims: claims, resolutions: resolutions, engine: engine, now: now)
        self.eligibility = EligibilityReceiver(
            messages: messages, checks: FluentEligibilityLog(database: database), engine: engine,
            privateKey: hcx.privateKey, now: now, logger: logger)
        self.poster = poster
        self.remittances = RemittancePoster(
            claims: claims, submissions: x12Submissions, remittances: FluentX12RemittanceLog(database: database),
            eligibility: FluentEligibilityLog(database: database), payments: poster, engine: engine, now: now,
            logger: logger)
        self.inbox = HCXInbox(messages: messages, participantCode: hcx.participantCode, now: now)
        self.processor = ClaimBatchProcessor(
            claims: claims, engine: engine, submitter: submitter, router: router, ledger: ledger, calendar: calendar,
            now: now, logger: logger)
    }

    /// Wires the services over the application's default database and logger, with the code sets
    /// from the data folder (loaded once per process).
    /// - Throws: ``RCMCore/CodeSetError`` when the code-set data cannot be read.
    /// - Parameter codeSets: `false` for operator commands that never run a claim step (they start
    ///   faster and need no data folder); such services must not advance claim workflows.
    public init(app: Application, configuration: RCMConfiguration, hcx: HCXConnection, codeSets: Bool = true) throws {
        self.init(
            database: app.db, configuration: configuration, hcx: hcx,
            codeSets: codeSets ? try SharedCodeSets.catalog() : CodeSetCatalog(releases: []), logger: app.logger)
    }
}

extension ClaimServices {
    /// Runs the workflow workers and, when given, the X12 inbox watcher, until cancelled.
    public func runWorkers(x12Inbox: X12InboxWatcher?) async {
        let worker = self.worker
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await worker.run() }
            if let x12Inbox { group.addTask { await x12Inbox.run() } }
        }
    }

    /// The watcher of the X12 inbox, for a process that runs workers: `nil` when
    /// `RCM_X12_SETTINGS` is not set (no payer uses X12).
    /// - Throws: ``RevenueCycle/X12SettingsError`` when the settings file cannot be used.
    public func x12InboxWatcher() throws -> X12InboxWatcher? {
        guard let x12SettingsPath else { return nil }
        let settings = try X12Settings.load(path: x12SettingsPath)
        return X12InboxWatcher(inbox: settings.inbox, remittances: remittances, audit: audit, logger: logger)
    }

    /// Continues what a process that ended midway (a crash, a full disk, SIGKILL) left: on SQLite,
    /// which one process uses at a time, the workflow leases it held are released so that this
    /// process's workers continue those runs at once (on PostgreSQL they lapse after
    /// `RCM_LEASE_SECONDS`, since other processes may be alive); then the inbound messages it left
    /// unprocessed are processed: eligibility answers, claim answers, then payments.
    /// - Throws: a database error.
    public func recoverUnfinishedWork() async throws {
        if singleProcessStore {
            let released = try await workflows.releaseLeasesOfEndedProcesses()
            if released > 0 { logger.notice("released \(released) workflow leases of an rcm process that ended") }
        }
        try await eligibility.processPending()
        try await receiver.processPending()
        try await poster.processPending()
    }
}
