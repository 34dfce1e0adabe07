import Dispatch
import Foundation

/// Runs a child process (the `rcm` binary, Python peers and validators) to its end for a test.
///
/// Waiting on a child blocks a thread, so the wait happens on a Dispatch thread, never on one of
/// Swift concurrency's cooperative threads: those are as many as the machine's cores (two in CI),
/// and two tests waiting on children there stalled every other test of the run — an in-process
/// gateway's answer then missed its 30 s deadline (`HTTPClientError.deadlineExceeded`). Standard
/// output and standard error are read at the same time, so a child that fills one pipe while
/// the other is read never blocks.
public enum ChildProcess {
    /// A finished child: its exit status and what it wrote.
    public struct Finished: Sendable {
        public let status: Int32
        public let stdout: Data
        public let stderr: Data
    }

    /// Runs `executable` with `arguments` and waits for it to exit.
    /// - Parameters:
    ///   - environment: the child's whole environment; `nil` inherits the test process's.
    ///   - input: written to the child's standard input, which is then closed; `nil`: none
    ///     (`/dev/null`).
    /// - Throws: when the child cannot be started.
    public static func run(
        _ executable: URL, arguments: [String], environment: [String: String]? = nil, input: Data? = nil
    ) async throws -> Finished {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    with: Result {
                        try runBlocking(executable, arguments: arguments, environment: environment, input: input)
                    })
            }
        }
    }

    private static func runBlocking(
        _ executable: URL, arguments: [String], environment: [String: String]?, input: Data?
    ) throws -> Finished {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        let stdin = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(input)
            try stdin.fileHandleForWriting.close()
        }
        let errorOutput = ErrorOutput()
        let reading = DispatchGroup()
        DispatchQueue.global().async(group: reading) {
            errorOutput.data = err.fileHandleForReading.readDataToEndOfFile()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        reading.wait()
        process.waitUntilExit()
        return Finished(status: process.terminationStatus, stdout: stdout, stderr: errorOutput.data)
    }

    /// Standard error as read on another thread; the group's wait orders the write before the read.
    private final class ErrorOutput: @unchecked Sendable {
        var data = Data()
    }
}
