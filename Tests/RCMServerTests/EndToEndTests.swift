import FHIR
import Fluent
import Foundation
import HCX
import HCXSandbox
import RCMCore
import RevenueCycle
import TestSupport
import Testing
import Vapor
import Workflow

@testable import RCMServer
@testable import rcm

/// The main job end to end, as `rcm process` runs it: real HTTP on loopback between RCM and the
/// sandbox payer, real JWE both ways, every transition persisted — on SQLite and (in CI) PostgreSQL.
@Suite(.serialized) struct EndToEndTests {
    @discardableResult
    private func run(
        _ configuration: RCMConfiguration, _ inputs: [ClaimInput], rules: SandboxRules = .default,
        asOf: ServiceDate? = nil, check: (ProcessingReport, Application) async throws -> Void = { _, _ in },
        beforeProcessing: (ClaimRuntime) async throws -> Void = { _ in }
    ) async throws -> ProcessingReport {
        try await TestDatabase.withApp(configuration) { app in
            try await SchemaMigrations.migrateEmbeddedDatabase(app, configuration)
            return try await ClaimRuntime.run(app: app, configuration: configuration, sandboxRules: rules) {
                runtime in
                try await beforeProcessing(runtime)
                let report = try await runtime.services.processor.process(
                    inputs, waitSeconds: configuration.adjudicationTimeoutSeconds, asOf: asOf, concurrency: 8)
                try await check(report, app)
                return report
            }
        }
    }

    /// One claim, approved — and paid when the payer's notice came within the run.
    static func adjudicatedOrPaid(_ report: ProcessingReport) -> Bool {
        report.claims.count == 1 && [.approved, .paid].contains(report.claims[0].outcome)
    }

    private func input(_ url: URL) throws -> ClaimInput {
        ClaimInput(name: url.lastPathComponent, data: try Data(contentsOf: url))
    }

    @Test(.sharedSamples, arguments: TestDatabase.available)
    func sharedHCXSamplesRunThroughTheSlice(_ kind: TestDatabase) async throws {
        if kind == .postgres {
            // PostgreSQL is never migrated implicitly by `process`; an operator runs `rcm migrate --yes`.
            try await kind.withFreshDatabase { configuration in
                await #expect(throws: ConfigurationError.self) {
                    try await run(configuration, [])
                }
            }
        }
        try await kind.withFreshDatabase { configuration in
            if kind == .postgres {
                try await TestDatabase.withApp(configuration) { app in try await app.autoMigrate() }
            }
            let inputs = [
                try input(Samples.shared("claim_request_bundle_v0.7.1_sdk.json")),
                try input(Samples.shared("claim_request_bundles_v0.7.1.json")),
            ]
            let report = try await run(configuration, inputs) { (report, app) async throws in
                // Every step of every claim's workflow is committed as COMPLETED.
                let runs = try await WorkflowStateModel.query(on: app.db).all()
                #expect(runs.count == 2)
                #expect(runs.allSatisfy { $0.status == "COMPLETED" })
                let steps = try await WorkflowStepModel.query(on: app.db).all()
                #expect(steps.count == 20)
                #expect(steps.allSatisfy { $0.status == "COMPLETED" && $0.attempts == 1 })
                // One outbound submit and one inbound on_submit per claim, sharing the correlation id.
                let messages = try await HCXMessageModel.query(on: app.db).all()
                #expect(messages.filter { $0.direction == "outbound" && $0.operation == "/claim/submit" }.count == 2)
                #expect(messages.filter { $0.direction == "inbound" && $0.operation == "/claim/on_submit" }.count == 2)
                let claimMessages = messages.filter { $0.operation.hasPrefix("/claim/") }
                #expect(Set(claimMessages.map(\.correlationID)).count == 2)
                #expect(messages.allSatisfy { $0.body.hasPrefix(#"{"payload":"ey"#) })
                // Lines are stored with the payer's decision, renumbered 1…13.
                let lines = try await ClaimLineModel.query(on: app.db).all()
                #expect(lines.count == 26)
                #expect(Set(lines.map(\.sequence)) == Set(1...13))
                #expect(lines.allSatisfy { $0.submittedSequence == 1 && $0.approvedMinor != nil })
            }
            #expect(report.claims.count == 2)
            #expect(report.duplicates.map(\.source) == ["claim_request_bundles_v0.7.1.json[1]"])
            #expect(report.errors.isEmpty)
            // Default rules, member 2XX8971: room rent E101021 capped at 50,000, the IV set 406003
            // excluded, 41,000 of other lines: 91,000 eligible, 10 % co-pay 9,100, benefit 81,900.
            // The payer then pays what it approved: partially paid.
            for claim in report.claims {
                #expect(claim.billed.description == "INR 146000.00")
                #expect(claim.outcome == .partiallyPaid)
                #expect(claim.approved?.description == "INR 81900.00")
                #expect(claim.paid?.description == "INR 81900.00")
            }
            // The two samples are different claims under the same identifier: the second is flagged.
            let intakeFindings = report.claims.map { $0.findings.filter { $0.field.hasPrefix("Claim.") } }
            #expect(intakeFindings[0].map(\.field) == ["Claim.billablePeriod", "Claim.item.sequence"])
            // The payer's cuts, with its reasons: room rent over the line limit, the IV set excluded.
            #expect(
                report.claims[0].findings.filter { $0.field.hasPrefix("ClaimResponse.") }.map(\.message) == [
                    "the payer approved INR 45000.00 of INR 100000.00 (over-line-limit)",
                    "the payer approved INR 0.00 of INR 5000.00 (excluded-service)",
                ])
            #expect(
                intakeFindings[1].map(\.field) == [
                    "Claim.billablePeriod", "Claim.item.sequence", "Claim.identifier",
                ])
            #expect(intakeFindings[1].last?.message.contains(report.claims[0].claimID.description) == true)
            #expect(report.totals.map(\.billed.description) == ["INR 292000.00"])
            #expect(report.totals.map(\.approved.description) == ["INR 163800.00"])

            // Running the same inputs again creates nothing new.
            let again = try await run(configuration, inputs) { (_, app) async throws in
                #expect(try await ClaimModel.query(on: app.db).count() == 2)
                let claimMessages = try await HCXMessageModel.query(on: app.db).all().filter {
                    $0.operation.hasPrefix("/claim/")
                }
                #expect(claimMessages.count == 4)
            }
            #expect(again.duplicates.count == 3)
            #expect(again.claims.map(\.outcome) == [.partiallyPaid, .partiallyPaid])
            #expect(again.claims.allSatisfy { $0.preExisting })
        }
    }

    @Test(arguments: TestDatabase.available)
    func ownSamplesArePaidInFullAndInPart(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            if kind == .postgres {
                try await TestDatabase.withApp(configuration) { app in try await app.autoMigrate() }
            }
            let report = try await run(
                configuration,
                [
                    try input(Samples.own("claim-approved-outpatient-visit.json")),
                    try input(Samples.own("claim-partially-approved-appendectomy.json")),
                ])
            #expect(report.claims.map(\.outcome) == [.paid, .partiallyPaid])
            #expect(report.claims.map(\.billed.description) == ["INR 2073.00", "INR 164601.00"])
            // The appendectomy: room rent capped at 3,000 a line, the IV set excluded, 148,650
            // eligible, cut to the member's sum insured of 100,000.
            #expect(report.claims.map { $0.approved?.description } == ["INR 2073.00", "INR 100000.00"])
            // Posted payments equal what the sandbox approved and paid; each posted once.
            #expect(report.claims.map { $0.paid?.description } == ["INR 2073.00", "INR 100000.00"])
            #expect(report.outcomes == [.paid: 1, .partiallyPaid: 1])
        }
    }

    @Test(arguments: TestDatabase.available)
    func ownEncounterSamplesReachEveryOutcome(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            if kind == .postgres {
                try await TestDatabase.withApp(configuration) { app in try await app.autoMigrate() }
            }
            let report = try await run(configuration, [try input(Samples.own("encounters-clinic-week.json"))]) {
                _, app in
                // The workflow's decisions are in the audit trail as system:<worker>.
                let entries = try await AuditTrail(database: app.db).entries()
                let decided = entries.filter { $0.actor.hasPrefix("system:") }
                #expect(decided.filter { $0.action == "claim.adjudicate" }.count == 4)
                #expect(
                    decided.filter { $0.action == "claim.reject" }.map(\.changes) == [
                        #"{"outcome":{"after":"rejected","before":"pending"}}"#
                    ])
                #expect(try await AuditTrail(database: app.db).verify() == .intact(entries: entries.count))
            }
            #expect(report.errors.isEmpty)
            #expect(report.claims.map(\.identifier) == (201...205).map { "ENC-2026-000\($0)" })
            #expect(report.claims.map(\.outcome) == [.paid, .partiallyPaid, .partiallyPaid, .denied, .rejected])
            #expect(
                report.claims.map(\.billed.description) == [
                    "INR 1250.00", "INR 13200.00", "INR 154000.00", "INR 1426.50", "INR 800.00",
                ])
            // 10 % co-pay on 2XX8971's claims; the room capped at 3,000 a line; the IV sets excluded.
            #expect(
                report.claims.map { $0.approved?.description } == [
                    "INR 1250.00", "INR 11880.00", "INR 133200.00", "INR 0.00", nil,
                ])
            #expect(report.claims[4].findings.contains { $0.field == "Claim.insurance[0].coverage" })
        }
    }

    @Test(arguments: TestDatabase.available)
    func aBatchOf200GeneratedEncountersEndsTerminalAndAddsUp(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            if kind == .postgres {
                try await TestDatabase.withApp(configuration) { app in try await app.autoMigrate() }
            }
            let inputs = [ClaimInput(name: "batch.ndjson", data: EncounterBatch.ndjson(count: 200))]
            let report = try await run(configuration, inputs, rules: EncounterBatch.rules) { report, app in
                // The summary's figures are the database's.
                let rows = try await ClaimModel.query(on: app.db).all()
                #expect(rows.count == 200)
                let billed = rows.reduce(Int64(0)) { $0 + $1.billedTotalMinor }
                let approved = rows.reduce(Int64(0)) { $0 + ($1.approvedTotalMinor ?? 0) }
                let payments = try await PaymentModel.query(on: app.db).all()
                let paidByClaim = Dictionary(grouping: payments, by: { $0.$claim.id }).mapValues {
                    $0.reduce(Int64(0)) { $0 + $1.amountMinor }
                }
                let totals = try #require(report.totals.first)
                #expect(report.totals.count == 1)
                #expect(try totals.billed.minorUnits() == billed)
                #expect(try totals.approved.minorUnits() == approved)
                #expect(try totals.paid.minorUnits() == payments.reduce(Int64(0)) { $0 + $1.amountMinor })
                // Every paid claim: what was posted is what the sandbox approved and paid.
                for claim in report.claims where [.paid, .partiallyPaid].contains(claim.outcome) {
                    let posted = paidByClaim[claim.claimID.rawValue] ?? 0
                    #expect(try claim.paid?.minorUnits() == posted)
                    #expect(try claim.approved?.minorUnits() == posted)
                }
                // Every KPI's numerator and denominator equal SQL written from the definitions.
                try await AnalyticsCrossCheck.check(app)
                // The summary stays exact when payments and reads come at once (and still agrees).
                try await AnalyticsCrossCheck.summaryStaysExactUnderConcurrentPayments(app)
                try await AnalyticsCrossCheck.check(app)
            }
            #expect(report.errors.isEmpty)
            #expect(report.claims.count == 200)
            #expect(report.claims.allSatisfy { ![.pending, .failed].contains($0.outcome) })
            #expect(report.outcomes[.rejected] == 8)
            // 20 IV-set-only claims, 4 of them for the lapsed member (rejected first).
            #expect(report.outcomes[.denied] == 16)
            #expect((report.outcomes[.paid] ?? 0) + (report.outcomes[.partiallyPaid] ?? 0) == 176)
        }
    }

    @Test func aClaimPastThePayersTimelyFilingLimitIsStoppedAtTheScrub() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            let environment = [
                "DATABASE_URL": try #require(CommandLineTests.databaseURL(configuration)), "USER": "ops",
            ]
            #expect(try await CommandLineTests.run(["migrate", "--yes"], environment: environment).status == 0)
            let set = try await CommandLineTests.run(
                [
                    "payers", "set", "--payer", "DEMO-HEALTH-INSURANCE", "--name", "Demo Health",
                    "--timely-filing-days", "7",
                ],
                environment: environment)
            #expect(
                set.stdout == "DEMO-HEALTH-INSURANCE: claims within 7 days of the date of service; claims over hcx\n",
                "\(set.stderr)")
            #expect(
                try await CommandLineTests.run(["payers", "list"], environment: environment).stdout
                    == "DEMO-HEALTH-INSURANCE\tDemo Health\t7 days\t-\t-\thcx\n")
            // The sample's date of service is 2026-11-02: past a 7-day limit from any day after 2026-11-09.
            let report = try await run(configuration, [try input(Samples.own("claim-approved-outpatient-visit.json"))])
            #expect(report.claims.map(\.outcome) == [.rejected])
            #expect(report.claims[0].findings.contains { $0.message.hasPrefix("timely filing: ") })
            try await TestDatabase.withApp(configuration) { app in
                let queue = try await DenialQueue(
                    claims: FluentClaimRepository(database: app.db), calendar: BillingCalendar()
                ).cases()
                #expect(queue.map(\.category) == [.timelyFiling])
                #expect(queue.map(\.nextAction) == [.writeOff])
                let change = try await AuditTrail(database: app.db).entries(action: "payer.update")
                #expect(
                    change.first?.changes
                        == #"{"name":{"after":"Demo Health"},"timely_filing_days":{"after":"7"},"transport":{"after":"hcx"}}"#
                )
            }
        }
    }

    /// `--as-of` moves the scrub's today: the same claim (date of service 2026-11-02) under a 7-day
    /// filing limit passes as of 2026-11-09, is past the limit as of 2026-11-10, and is care not yet
    /// given as of 2026-11-01; the report's denial age counts to the as-of day (none before the date of service).
    @Test(arguments: [
        ("2026-11-09", nil, 0), ("2026-11-10", "timely filing: ", 8),
        ("2026-11-01", "the date of service 2026-11-02 is after today (2026-11-01)", 0),
    ])
    func theScrubTakesTheAsOfDayAsToday(_ asOf: String, _ finding: String?, _ ageDays: Int) async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            let environment = ["DATABASE_URL": try #require(CommandLineTests.databaseURL(configuration))]
            #expect(try await CommandLineTests.run(["migrate", "--yes"], environment: environment).status == 0)
            _ = try await CommandLineTests.run(
                ["payers", "set", "--payer", "DEMO-HEALTH-INSURANCE", "--timely-filing-days", "7"],
                environment: environment)
            let report = try await run(
                configuration, [try input(Samples.own("claim-approved-outpatient-visit.json"))],
                asOf: try ServiceDate(iso8601: asOf)
            ) { _, app in
                let input = try #require(try await WorkflowStateModel.query(on: app.db).first()).input
                #expect(input.contains(#""asOf":"\#(asOf)""#))
            }
            if let finding {
                #expect(report.claims.map(\.outcome) == [.rejected])
                #expect(
                    report.claims[0].findings.contains { $0.message.hasPrefix(finding) }, "\(report.claims[0].findings)"
                )
                #expect(report.denials.map(\.ageDays) == [ageDays])
            } else {
                #expect(Self.adjudicatedOrPaid(report))
            }
        }
    }

    /// `RCM_NOW` fixes today for every claim a run starts without `--as-of`.
    @Test func rcmNowFixesTheBillingRulesToday() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            var configuration = configuration
            configuration.billingDay = try ServiceDate(iso8601: "2026-11-01")
            let report = try await run(configuration, [try input(Samples.own("claim-approved-outpatient-visit.json"))])
            #expect(report.claims.map(\.outcome) == [.rejected])
            #expect(
                report.claims[0].findings.map(\.message).contains {
                    $0.hasPrefix("the date of service 2026-11-02 is after today (2026-11-01)")
                })
        }
    }

    @Test(arguments: [true, false])
    func aPayerThatPreauthorisesAboveAnAmountIsAskedFirst(_ authorised: Bool) async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            let environment = ["DATABASE_URL": try #require(CommandLineTests.databaseURL(configuration))]
            #expect(try await CommandLineTests.run(["migrate", "--yes"], environment: environment).status == 0)
            let set = try await CommandLineTests.run(
                ["payers", "set", "--payer", "DEMO-HEALTH-INSURANCE", "--preauth-over", "100000.00"],
                environment: environment)
            #expect(
                set.stdout
                    == "DEMO-HEALTH-INSURANCE: no filing limit; pre-authorisation above INR 100000.00; claims over hcx\n"
            )
            var rules = SandboxRules.default
            if !authorised {
                // The member's sum insured is used up: the payer pre-authorises nothing.
                if let index = rules.members.firstIndex(where: { $0.subscriberID == "MEM-55890" }) {
                    rules.members[index].sumInsured = "0.00"
                }
            }
            let report = try await run(
                configuration,
                [
                    try input(Samples.own("claim-partially-approved-appendectomy.json")),
                    try input(Samples.own("claim-approved-outpatient-visit.json")),
                ], rules: rules
            ) { _, app in
                let messages = try await HCXMessageModel.query(on: app.db).filter(\.$direction == "outbound").all()
                    .map(\.operation)
                // Only the claim above the threshold asked for pre-authorisation.
                #expect(messages.filter { $0 == HCXOperation.preauthSubmit.path }.count == 1)
                let bundles = try await ClaimModel.query(on: app.db).all().map(\.bundle)
                #expect(bundles.filter { $0.contains("preAuthRef") }.count == (authorised ? 1 : 0))
            }
            let appendectomy = try #require(report.claims.first { $0.identifier == "CLM-2026-000102" })
            if authorised {
                #expect(appendectomy.outcome == .partiallyPaid)
                #expect(appendectomy.findings.contains { $0.message.hasPrefix("pre-authorised by the payer as PA-") })
            } else {
                #expect(appendectomy.outcome == .rejected)
                #expect(appendectomy.findings.contains { $0.message.hasPrefix("the payer refused pre-authorisation") })
                try await TestDatabase.withApp(configuration) { app in
                    let queue = try await DenialQueue(
                        claims: FluentClaimRepository(database: app.db), calendar: BillingCalendar()
                    ).cases()
                    #expect(queue.map(\.category) == [.authorization])
                    #expect(queue.map(\.nextAction) == [.requestPreauthorization])
                }
            }
            #expect(report.claims.first { $0.identifier == "CLM-2026-000101" }?.outcome == .paid)
        }
    }

    @Test func aClaimOverNothingIsDenied() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            let report = try await run(
                configuration, [try input(Samples.own("claim-approved-outpatient-visit.json"))],
                rules: {
                    var rules = SandboxRules.default
                    rules.claimLimit = "0"
                    return rules
                }())
            #expect(report.claims.map(\.outcome) == [.denied])
            #expect(report.claims.map { $0.approved?.description } == ["INR 0.00"])
        }
    }

    @Test(.sharedSamples) func badInputsAreReportedAndWriteNothing() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            let noItems = #"""
                {"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Claim","id":"c1",
                 "identifier":[{"value":"X1"}],"use":"claim","patient":{"reference":"Patient/p"},
                 "insurer":{"reference":"Organization/i"},"provider":{"reference":"Organization/o"},
                 "created":"2026-01-01","item":[{"productOrService":{"coding":[{"code":"A"}]},
                 "unitPrice":{"value":10.005,"currency":"INR"}}]}}]}
                """#
            let inputs = [
                ClaimInput(name: "not-json.json", data: Data("this is not json".utf8)),
                ClaimInput(name: "patient.json", data: Data(#"{"resourceType":"Patient","id":"p1"}"#.utf8)),
                try input(Samples.shared("preauth_request_bundles_v0.7.1_NONSTANDARD_mock.json")),
                ClaimInput(name: "fractional-paise.json", data: Data(noItems.utf8)),
                try input(Samples.own("claim-approved-outpatient-visit.json")),
            ]
            let report = try await run(configuration, inputs) { (_, app) async throws in
                #expect(try await ClaimModel.query(on: app.db).count() == 1)
                #expect(try await ClaimLineModel.query(on: app.db).count() == 3)
                #expect(try await WorkflowStateModel.query(on: app.db).count() == 1)
            }
            #expect(report.claims.map(\.outcome) == [.paid])
            let reasons = Dictionary(report.errors.map { ($0.source, $0.reason) }, uniquingKeysWith: { $1 })
            #expect(reasons["not-json.json"]?.hasPrefix("not JSON") == true)
            #expect(reasons["patient.json"] == "expected a FHIR Bundle, found resourceType 'Patient'")
            #expect(
                reasons["preauth_request_bundles_v0.7.1_NONSTANDARD_mock.json[0]"]
                    == "invalid Bundle: entry[0].resource has resourceType 'Preauth', which is not a FHIR R4 resource "
                    + "(a pre-authorisation is a Claim with use = preauthorization)")
            #expect(
                reasons["fractional-paise.json"]
                    == "Claim.item[0].unitPrice: INR 10.005 has more decimal places than the currency's minor unit")
        }
    }

    @Test func aClaimThatFailedBecauseThePayerWasDownIsResumedByTheNextRun() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            let inputs = [try input(Samples.own("claim-approved-outpatient-visit.json"))]
            let failed = try await run(
                configuration, inputs, beforeProcessing: { runtime in await runtime.sandbox?.shutdown() })
            #expect(failed.claims.map(\.outcome) == [.failed])

            let resumed = try await run(configuration, inputs) { (_, app) async throws in
                let steps = try await WorkflowStepModel.query(on: app.db).sort(\.$position).all()
                #expect(steps.allSatisfy { $0.status == "COMPLETED" } && steps.count == 10)
                // The payer was down: the eligibility request failed once, then the resumed run asked
                // again and went on; nothing else ran twice.
                #expect(steps.map(\.attempts) == [1, 1, 1, 2, 1, 1, 1, 1, 1, 1])
                #expect(try await ClaimModel.query(on: app.db).count() == 1)
            }
            #expect(resumed.claims.map(\.outcome) == [.paid])
            #expect(resumed.claims.map(\.preExisting) == [true])
        }
    }

    /// Puts a completed claim back into the state a crash leaves: adjudication parked on its
    /// event, no event recorded, the claim pending.
    private func rewindToWaiting(_ app: Application, deadline: Date) async throws {
        // The run's workers are still up: the steps go back first, then the run, as the engine leaves
        // a waiting run (due at the deadline); a worker never sees a run IN_PROGRESS with the old steps.
        try await WorkflowEventModel.query(on: app.db).delete()
        let steps = try await WorkflowStepModel.query(on: app.db).all()
        for step in steps where step.name == "adjudication" || step.name == "record_outcome" {
            step.status = step.name == "adjudication" ? "RUNNING" : "PENDING"
            step.output = nil
            if step.name == "record_outcome" { step.attempts = 0 }
            if step.name == "adjudication" {
                let correlation = try await HCXMessageModel.query(on: app.db).filter(\.$operation == "/claim/submit")
                    .first()!.correlationID
                step.waitKey = "hcx/claim/on_submit:\(correlation)"
                step.waitDeadline = deadline
            }
            try await step.save(on: app.db)
        }
        try await WorkflowStateModel.query(on: app.db).set(\.$status, to: "IN_PROGRESS")
            .set(\.$nextRunAt, to: deadline).update()
        try await ClaimModel.query(on: app.db).set(\.$outcome, to: "pending").set(\.$approvedTotalMinor, to: nil)
            .update()
    }

    @Test func aCallbackReceivedButNotProcessedBeforeACrashIsAppliedAtTheNextStart() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            let inputs = [try input(Samples.own("claim-approved-outpatient-visit.json"))]
            try await run(configuration, inputs) { (_, app) async throws in
                // The crash: the inbound message was stored and acknowledged, nothing else happened.
                try await rewindToWaiting(app, deadline: Date().addingTimeInterval(3600))
                try await HCXMessageModel.query(on: app.db).filter(\.$operation == "/claim/on_submit")
                    .set(\.$processedAt, to: nil).update()
            }
            let next = try await run(configuration, inputs) { (_, app) async throws in
                // (The payer's payment notice may arrive too; it is stored for payment posting.)
                let inbound = try await HCXMessageModel.query(on: app.db).filter(\.$operation == "/claim/on_submit")
                    .all()
                #expect(inbound.count == 1)
                #expect(inbound.allSatisfy { $0.processedAt != nil && $0.processingError == nil })
            }
            #expect(Self.adjudicatedOrPaid(next))
        }
    }

    @Test func aPayerThatNeverAnsweredIsAskedAgainAfterTheDeadline() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            // A payer that lost the claim: the next run meets a sandbox that never saw it.
            var configuration = configuration
            configuration.sandboxStatePath = nil
            let inputs = [try input(Samples.own("claim-approved-outpatient-visit.json"))]
            try await run(configuration, inputs) { (_, app) async throws in
                // The answer never came (it is removed) and the wait's deadline has passed.
                try await rewindToWaiting(app, deadline: Date().addingTimeInterval(-1))
                try await HCXMessageModel.query(on: app.db).filter(\.$direction == "inbound").delete()
            }
            let next = try await run(configuration, inputs) { (_, app) async throws in
                let steps = try await WorkflowStepModel.query(on: app.db).sort(\.$position).all()
                #expect(steps.allSatisfy { $0.status == "COMPLETED" } && steps.count == 10)
                #expect(steps.map(\.attempts) == [1, 1, 1, 1, 1, 1, 1, 1, 2, 1])
                // The same envelope, with the same api_call_id, went out once; a new answer came back.
                let outbound = try await HCXMessageModel.query(on: app.db).filter(\.$operation == "/claim/submit").all()
                #expect(outbound.count == 1)
                #expect(
                    try await HCXMessageModel.query(on: app.db).filter(\.$operation == "/claim/on_submit").count() == 1)
            }
            #expect(Self.adjudicatedOrPaid(next))
        }
    }

    @Test func aClaimSubmittedBeforeACrashIsReSentByTheNextRun() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            // The payer died with the process and lost the claim: the next run meets a sandbox
            // that never saw it, and the same envelope is accepted there.
            var configuration = configuration
            configuration.sandboxStatePath = nil
            let inputs = [try input(Samples.own("claim-approved-outpatient-visit.json"))]
            try await run(configuration, inputs) { (_, app) async throws in
                // The crash: submitted and acknowledged, then the process (and its payer) died.
                try await rewindToWaiting(app, deadline: Date().addingTimeInterval(3600))
                try await HCXMessageModel.query(on: app.db).filter(\.$direction == "inbound").delete()
            }
            let next = try await run(configuration, inputs) { (_, app) async throws in
                let steps = try await WorkflowStepModel.query(on: app.db).sort(\.$position).all()
                #expect(steps.allSatisfy { $0.status == "COMPLETED" } && steps.count == 10)
                #expect(
                    try await HCXMessageModel.query(on: app.db).filter(\.$operation == "/claim/submit").count() == 1)
            }
            #expect(Self.adjudicatedOrPaid(next))
        }
    }

    @Test func anAnswerTheSandboxHeldBackIsDeliveredByTheNextRun() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            var configuration = configuration
            configuration.adjudicationTimeoutSeconds = 1
            let inputs = [try input(Samples.own("claim-approved-outpatient-visit.json"))]
            // Run 1: the payer answers, but the gateway holds every callback back for a minute,
            // longer than the run waits; the run ends with the claim still pending.
            var slow = SandboxRules.default
            slow.faults = SandboxFaults(seed: 1, lateCallbackRate: 1, lateSeconds: 60)
            let first = try await run(configuration, inputs, rules: slow)
            #expect(first.claims.map(\.outcome) == [.pending])
            // Run 2: the sandbox finishes its pending delivery from its state file and the answer
            // lands; the claim was submitted once.
            configuration.adjudicationTimeoutSeconds = 10
            let second = try await run(configuration, inputs) { (_, app) async throws in
                #expect(
                    try await HCXMessageModel.query(on: app.db).filter(\.$operation == "/claim/submit").count() == 1)
                let answers = try await HCXMessageModel.query(on: app.db).filter(\.$operation == "/claim/on_submit")
                    .all()
                #expect(answers.count == 1)
            }
            #expect(Self.adjudicatedOrPaid(second))
            #expect(second.claims.map { $0.approved?.description } == ["INR 2073.00"])
        }
    }

    @Test func aPendingClaimWhoseAnswerWasLostSaysSoOnTheNextRun() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            var configuration = configuration
            configuration.adjudicationTimeoutSeconds = 1
            let inputs = [try input(Samples.own("claim-approved-outpatient-visit.json"))]
            // The payer answers, the gateway drops the answer.
            var lossy = SandboxRules.default
            lossy.faults = SandboxFaults(seed: 1, dropCallbackRate: 1)
            lossy.payment.send = false
            #expect(try await run(configuration, inputs, rules: lossy).claims.map(\.outcome) == [.pending])
            // The next run re-sends it and waits for its answer longer than it waits for answers to
            // come: the claim is pending at the end, and the gateway says why.
            var patient = configuration
            patient.adjudicationTimeoutSeconds = 60
            let lines = try await TestDatabase.withApp(patient) { app in
                try await ClaimRuntime.run(app: app, configuration: patient, sandboxRules: lossy) { runtime in
                    let collected = LineCollector()
                    // 10 s: time enough for the re-dispatched request to reach the payer and be
                    // answered on a loaded 2-core machine (3 s was not, once in CI).
                    _ = try await runtime.services.processor.process(
                        inputs, waitSeconds: 10, progress: { collected.add($0.text) })
                    return collected.lines
                }
            }
            #expect(
                lines.contains {
                    $0.contains("is still pending: the gateway says the payer answered (response.complete)")
                        && $0.contains("has not reached RCM")
                })
        }
    }
}

extension EndToEndTests {
    @Test func aClaimWithCodingErrorsIsRejectedBeforeSubmission() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            let report = try await run(configuration, [try input(Samples.own("claim-rejected-at-coding.json"))]) {
                (_, app) async throws in
                // Nothing went to the payer.
                #expect(try await HCXMessageModel.query(on: app.db).count() == 0)
                let steps = try await WorkflowStepModel.query(on: app.db).sort(\.$position).all()
                #expect(
                    steps.map(\.status) == [
                        "COMPLETED", "COMPLETED", "SKIPPED", "SKIPPED", "SKIPPED", "SKIPPED", "SKIPPED", "SKIPPED",
                        "SKIPPED", "SKIPPED",
                    ])
                #expect(try await WorkflowStateModel.query(on: app.db).first()?.status == "COMPLETED")
            }
            #expect(report.claims.map(\.outcome) == [.rejected])
            let errors = report.claims.first?.findings.filter { $0.severity == .error } ?? []
            #expect(
                errors.map(\.message) == [
                    "J06 is a header code, not billable: use a more specific code (J06.0, J06.9)",
                    "E11.9 and E10.9 may not be reported together (Excludes1 note of E11); keep the one the record supports",
                ])
            #expect(errors.map(\.field) == ["Claim.diagnosis[2].diagnosisCodeableConcept", "Claim.diagnosis[1]"])
        }
    }
}

extension EndToEndTests {
    /// The payer refuses the claim's content with `ERR_DOMAIN_PROCESSING` (the sandbox pays in
    /// INR; this claim is in USD): the error is recorded on the claim, which is rejected at once —
    /// not `failed` after waiting out its whole adjudication deadline with no reason (issue 19).
    @Test(arguments: TestDatabase.available)
    func aPayersDomainErrorRejectsTheClaimAtOnceWithTheReason(_ kind: TestDatabase) async throws {
        try await kind.withFreshDatabase { configuration in
            var configuration = configuration
            configuration.adjudicationTimeoutSeconds = 60
            let week =
                try JSONSerialization.jsonObject(
                    with: try Data(contentsOf: Samples.own("encounters-clinic-week.json"))) as! [[String: Any]]
            var encounter = week[0]
            encounter["currency"] = "USD"
            let data = try JSONSerialization.data(withJSONObject: encounter)
            if kind == .postgres {
                try await TestDatabase.withApp(configuration) { app in try await app.autoMigrate() }
            }
            let report = try await run(configuration, [ClaimInput(name: "usd.json", data: data)]) {
                (_, app) async throws in
                #expect(try await WorkflowStateModel.query(on: app.db).first()?.status == "COMPLETED")
            }
            #expect(report.claims.map(\.outcome) == [.rejected])
            let finding = try #require(report.claims.first?.findings.first { $0.field == "x-hcx-error_details" })
            #expect(finding.severity == .error)
            #expect(
                finding.message
                    == "the payer answered ERR_DOMAIN_PROCESSING: the claim is in USD; this payer pays in INR")
        }
    }

    @Test func aClaimWhoseCoverageIsNotInForceIsRejectedBeforeSubmission() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            // The outpatient sample, for a member whose policy was cancelled.
            let text = try String(contentsOf: Samples.own("claim-approved-outpatient-visit.json"), encoding: .utf8)
                .replacingOccurrences(of: "MEM-55012", with: "MEM-LAPSED")
                .replacingOccurrences(of: "CLM-2026-000101", with: "CLM-2026-000199")
            let report = try await run(configuration, [ClaimInput(name: "lapsed.json", data: Data(text.utf8))]) {
                (_, app) async throws in
                #expect(
                    try await HCXMessageModel.query(on: app.db).filter(\.$operation == "/claim/submit").count() == 0)
                let check = try #require(try await EligibilityCheckModel.query(on: app.db).first())
                #expect(check.inForce == false)
                #expect(check.errors == #"["coverage-inactive"]"#)
            }
            #expect(report.claims.map(\.outcome) == [.rejected])
            #expect(
                report.claims.first?.findings.last?.message
                    == "the payer does not confirm cover on the date of service (Not in force: coverage-inactive): "
                    + "check the member's policy, or bill the patient or another payer")
        }
    }
}

extension EndToEndTests {
    /// An unclassified drug (HCPCS J3490) billed without saying which drug stops the claim before
    /// submission, in the denial queue as a coding case; the same line with its narrative goes on.
    @Test func anUnclassifiedCodeWithoutANarrativeIsStoppedBeforeSubmission() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            func encounter(_ id: String, narrative: String?) -> ClaimInput {
                let described = narrative.map { #", "narrative": "\#($0)""# } ?? ""
                return ClaimInput(
                    name: "\(id).json",
                    data: Data(
                        """
                        {"encounter_id": "\(id)", "patient": {"id": "MRN-\(id)", "birth_date": "1980-01-01"},
                         "coverage": {"payer": "DEMO-HEALTH-INSURANCE", "member_id": "MEM-55012"},
                         "provider": {"id": "HFR-DEMO-0042"}, "service_start": "2026-11-20",
                         "diagnoses": [{"code": "J20.9"}],
                         "services": [{"system": "cpt", "code": "99213", "unit_price": "800.00", "modifiers": ["25"]},
                                      {"system": "hcpcs", "code": "J3490", "unit_price": "250.00"\(described)}]}
                        """.utf8))
            }
            let report = try await run(
                configuration,
                [encounter("NOC-1", narrative: nil), encounter("NOC-2", narrative: "Ceftriaxone 1 g IV")]
            ) { (_, app) async throws in
                let queue = try await DenialQueue(
                    claims: FluentClaimRepository(database: app.db), calendar: BillingCalendar()
                ).cases()
                #expect(queue.map(\.identifier) == ["NOC-1"])
                #expect(queue.map(\.category) == [.coding])
                #expect(queue.map(\.nextAction) == [.correctAndResubmit])
            }
            let outcomes = Dictionary(uniqueKeysWithValues: report.claims.map { ($0.identifier, $0) })
            #expect(outcomes["NOC-1"]?.outcome == .rejected)
            #expect(
                outcomes["NOC-1"]?.findings.filter { $0.severity == .error }.map(\.field) == [
                    "Claim.item[1].productOrService.text"
                ])
            #expect(outcomes["NOC-2"]?.outcome != .rejected)
            #expect(outcomes["NOC-2"]?.findings.contains { $0.severity == .error } == false)
        }
    }

    @Test func theSameCareBilledAgainUnderAnotherIdentifierIsRejectedAsADuplicate() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            let original = try input(Samples.own("claim-approved-outpatient-visit.json"))
            let again = String(decoding: original.data ?? Data(), as: UTF8.self)
                .replacingOccurrences(of: "CLM-2026-000101", with: "CLM-2026-000201")
            let report = try await run(
                configuration, [original, ClaimInput(name: "rebilled.json", data: Data(again.utf8))]
            ) { (_, app) async throws in
                #expect(
                    try await HCXMessageModel.query(on: app.db).filter(\.$operation == "/claim/submit").count() == 1)
            }
            #expect(report.claims.map(\.outcome) == [.paid, .rejected])
            #expect(
                report.claims.last?.findings.last?.message.hasPrefix(
                    "duplicate of claim \(report.claims[0].claimID) (CLM-2026-000101)") == true)

            // A claim rejected before submission was never billed: its correction under a new
            // identifier (same lines) is no duplicate.
            let rejected = String(
                decoding: try Data(contentsOf: Samples.own("claim-rejected-at-coding.json")), as: UTF8.self)
            let corrected = rejected.replacingOccurrences(of: "CLM-2026-000103", with: "CLM-2026-000104")
                .replacingOccurrences(of: "\"code\": \"E10.9\"", with: "\"code\": \"I10\"")
                .replacingOccurrences(of: "\"code\": \"J06\"", with: "\"code\": \"J06.9\"")
            let second = try await run(
                configuration,
                [
                    ClaimInput(name: "rejected.json", data: Data(rejected.utf8)),
                    ClaimInput(name: "corrected.json", data: Data(corrected.utf8)),
                ])
            #expect(second.claims.map(\.outcome).first == .rejected)
            #expect(
                second.claims.last?.findings.contains {
                    $0.message.hasPrefix("duplicate of claim") && $0.message.contains("000103")
                }
                    == false)
        }
    }
}

extension EndToEndTests {
    @Test func deniedAndStoppedClaimsFormTheWorkQueue() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            // Pre-authorisation above INR 100,000: the appendectomy (164,601) is denied for it.
            var rules = SandboxRules.default
            rules.preauthRequiredOver = "100000.00"
            let inputs = [
                try input(Samples.own("claim-partially-approved-appendectomy.json")),
                try input(Samples.own("claim-rejected-at-coding.json")),
            ]
            let report = try await run(configuration, inputs, rules: rules) { (_, app) async throws in
                let queue = try await DenialQueue(
                    claims: FluentClaimRepository(database: app.db), calendar: BillingCalendar()
                )
                .cases()
                #expect(queue.map(\.identifier) == ["CLM-2026-000102", "CLM-2026-000103"])
                #expect(queue.map(\.category) == [.authorization, .coding])
                #expect(queue.map(\.nextAction) == [.requestPreauthorization, .correctAndResubmit])
                #expect(queue.map(\.atStake.description) == ["INR 164601.00", "INR 2073.00"])
                #expect(queue.first?.reasons == ["preauth-required"])
            }
            #expect(report.claims.map(\.outcome) == [.denied, .rejected])
        }
    }
}

/// Collects progress lines from a synchronous callback.
extension EndToEndTests {
    /// A run reports its notes (one per entry, routine submissions marked) and its counts: every
    /// entry taken in (refused ones included), then every claim settled.
    @Test func aRunReportsNotesAndCountsAsItGoes() async throws {
        try await TestDatabase.sqlite.withFreshDatabase { configuration in
            let inputs = [
                try input(Samples.own("encounters-clinic-week.json")),
                ClaimInput(name: "broken.json", data: Data("{".utf8)),
                try input(Samples.own("claim-approved-outpatient-visit.json")),
                try input(Samples.own("claim-approved-outpatient-visit.json")),
                try input(Samples.own("claim-rejected-at-coding.json")),
            ]
            let (report, notes, counts) = try await TestDatabase.withApp(configuration) { app in
                try await SchemaMigrations.migrateEmbeddedDatabase(app, configuration)
                return try await ClaimRuntime.run(app: app, configuration: configuration, sandboxRules: .default) {
                    runtime in
                    let notes = LineCollector()
                    var counts: [ProcessingProgress] = []
                    let report = try await runtime.services.processor.process(
                        inputs, waitSeconds: configuration.adjudicationTimeoutSeconds, concurrency: 4,
                        progress: { notes.add("\($0.kind.rawValue) \($0.text)") }, onProgress: { counts.append($0) })
                    return (report, notes.lines, counts)
                }
            }
            let entries = 5 + 1 + 1 + 1  // the week's five encounters, two copies of one claim, one miscoded claim
            #expect(report.claims.count == 7)
            #expect(notes.filter { $0.hasPrefix("started ") }.count == 6)
            #expect(
                notes.filter {
                    $0.hasPrefix("stopped claim-rejected-at-coding.json: ")
                        && $0.hasSuffix("rejected before submission (findings in the summary) (INR 2073.00)")
                }.count == 1)
            #expect(notes.contains { $0.hasPrefix("skipped broken.json: skipped: ") })
            #expect(notes.filter { $0.hasPrefix("duplicate claim-approved-outpatient-visit.json: ") }.count == 1)
            let takingIn = counts.filter { $0.phase == .takingIn }
            #expect(takingIn.map(\.done) == Array(0...entries))
            #expect(takingIn.allSatisfy { $0.total == entries })
            let answers = counts.filter { $0.phase == .awaitingAnswers }
            #expect(answers.map(\.done) == Array(0...7))
            #expect(answers.last?.fraction == 1)
        }
    }
}

final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []
    func add(_ line: String) { lock.withLock { collected.append(line) } }
    var lines: [String] { lock.withLock { collected } }
}
