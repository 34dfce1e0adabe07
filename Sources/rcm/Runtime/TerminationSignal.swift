import Foundation

/// Waiting for the operator (or Kubernetes) to stop a long-running command.
enum TerminationSignal {
    /// Returns on SIGINT or SIGTERM.
    static func wait() async {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        let sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
        for await _ in stream { break }
        for source in sources { source.cancel() }
    }
}
