import Foundation
import RCMCore
import RevenueCycle
import Vapor

/// The console's upload (`/upload`): a file of the main job's inputs (``RevenueCycle/IntakeReader``:
/// RCM's encounters as JSON or NDJSON, HCX claim bundles, FHIR clinical bundles), each entry taken
/// in and its claim queued for the workers, with a result line per entry — taken in, already taken
/// in, or refused with its reasons. Under the rule and audit of `POST /api/v1/encounters`; the
/// whole file is one change (``ChangeTransaction``): an entry refused is reported, and a failure of
/// the database keeps none of the file.
extension ConsoleController {
    struct UploadPage: Encodable {
        struct Result: Encodable {
            let entry: String
            /// `taken_in`, `duplicate` or `refused`.
            let outcome: String
            let detail: String
            let claimID: String?
        }
        let layout: ConsoleLayout
        let canUpload: Bool
        let fileName: String?
        let summary: String?
        let results: [Result]?
        let error: String?
    }

    struct UploadForm: Content {
        var file: File?
    }

    @Sendable func uploadPage(request: Request) async throws -> View {
        try await request.view.render("upload", page(request))
    }

    private func page(
        _ request: Request, fileName: String? = nil, results: [UploadPage.Result]? = nil, error: String? = nil
    ) -> UploadPage {
        var summary: String?
        if let results {
            let count = { (outcome: String) in results.filter { $0.outcome == outcome }.count }
            summary =
                "\(results.count) entries: \(count("taken_in")) taken in, \(count("duplicate")) already taken in, "
                + "\(count("refused")) refused"
        }
        return UploadPage(
            layout: layout(request, title: "Upload encounters", section: "upload"),
            canUpload: Self.allows(request, "POST /api/v1/encounters"), fileName: fileName, summary: summary,
            results: results, error: error)
    }

    @Sendable func upload(request: Request) async throws -> Response {
        func answer(_ page: UploadPage, _ status: HTTPResponseStatus) async throws -> Response {
            try await Self.render(request, "upload", page, status: status)
        }
        guard let file = try request.content.decode(UploadForm.self).file, file.data.readableBytes > 0 else {
            return try await answer(page(request, error: "file: choose a file to take in"), .unprocessableEntity)
        }
        let name = String(file.filename.prefix(200))
        let entries: [IntakeReader.Entry]
        do {
            entries = try IntakeReader(chargemaster: chargemaster).read(Data(buffer: file.data))
        } catch {
            return try await answer(
                page(request, error: "file: \(name) cannot be read: \(error)"), .unprocessableEntity)
        }
        let intake = ClaimIntake(claims: claims, engine: engine)
        var results: [UploadPage.Result] = []
        var created: [String] = []
        for (index, entry) in entries.enumerated() {
            let label = entry.position ?? (entries.count == 1 ? name : "[\(index)]")
            let submission: ClaimSubmission
            do {
                submission = try entry.result.get()
            } catch let error as ClaimIntakeError {
                let reasons = error.findings.filter { $0.severity == .error }.map { "\($0.field): \($0.message)" }
                results.append(
                    .init(
                        entry: label, outcome: "refused",
                        detail: reasons.isEmpty ? error.description : reasons.joined(separator: "; "), claimID: nil))
                continue
            } catch {
                results.append(.init(entry: label, outcome: "refused", detail: "\(error)", claimID: nil))
                continue
            }
            let (id, isNew, _) = try await intake.takeInAndQueue(submission)
            if isNew { created.append(id.description) }
            results.append(
                .init(
                    entry: label, outcome: isNew ? "taken_in" : "duplicate",
                    detail: "claim \(submission.claim.identifier.value)"
                        + (isNew ? " taken in and queued" : " was already taken in"),
                    claimID: id.description))
        }
        if !created.isEmpty {
            request.auditChanges = ["claims": AuditChange(before: nil, after: created.joined(separator: ","))]
        }
        return try await answer(page(request, fileName: name, results: results), .ok)
    }
}
