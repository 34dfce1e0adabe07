import Foundation

/// pyx12's `x12valid` (PyPI `pyx12`, BSD), named by `RCM_X12VALID` (CI sets it): its exit status
/// does not tell, its last line does (`…: OK` or `…: Failure`; ../shared/docs/reference/x12.md).
public enum X12Validator {
    public static let executable = ProcessInfo.processInfo.environment["RCM_X12VALID"].flatMap {
        $0.isEmpty ? nil : $0
    }

    /// Validates one file against the implementation guide its GS08 names.
    /// - Returns: whether pyx12 said OK, and all it printed.
    public static func validate(_ file: URL) async throws -> (valid: Bool, output: String) {
        let finished = try await ChildProcess.run(URL(fileURLWithPath: executable!), arguments: [file.path])
        let output = String(decoding: finished.stdout + finished.stderr, as: UTF8.self)
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        return (last == "\(file.path): OK", output)
    }
}
