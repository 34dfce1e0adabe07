import ConsoleKit
import Foundation
import NIOConcurrencyHelpers
import RevenueCycle

/// How `rcm process` shows a run as it goes: on a terminal, a progress bar (ConsoleKit's) for
/// taking the inputs in and then for the payers' answers, with the run's notable lines (inputs
/// refused, duplicates, claims failed, resumed or still pending) printed after it; otherwise one
/// plain line per input entry as it is handled; with `--json`, nothing.
final class ProgressDisplay: Sendable {
    enum Mode {
        case quiet, lines, bar
    }

    /// The mode for standard output: quiet with `--json`, a bar on a terminal, lines otherwise.
    static func mode(json: Bool) -> Mode {
        if json { return .quiet }
        return isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["TERM"] != "dumb" ? .bar : .lines
    }

    private let mode: Mode
    private let bar: ActivityIndicator<ProgressBar>?
    private let state = NIOLockedValueBox(State())

    private struct State {
        var phase: ProcessingProgress.Phase?
        var notes: [String] = []
    }

    init(_ mode: Mode) {
        self.mode = mode
        bar = mode == .bar ? Terminal().progressBar(title: "Reading inputs") : nil
        bar?.start(refreshRate: 100)
    }

    /// A note about an input entry: printed now in line mode; kept for the end in bar mode, unless
    /// it is routine (a claim started and waiting for its payer).
    func note(_ note: ProcessingNote) {
        switch mode {
        case .quiet: return
        case .lines: print(note.text)
        case .bar:
            if note.kind != .started { state.withLockedValue { $0.notes.append(note.text) } }
        }
    }

    /// Moves the bar.
    func update(_ progress: ProcessingProgress) {
        guard let bar else { return }
        let title: String
        switch progress.phase {
        case .takingIn: title = "Taking in \(progress.done)/\(progress.total) entries"
        case .awaitingAnswers: title = "Payers' answers \(progress.done)/\(progress.total) claims"
        }
        var activity = bar.activity
        activity.title = title
        activity.currentProgress = progress.fraction
        bar.activity = activity
    }

    /// Stops the bar and prints the notes kept for the end.
    func finish(succeeded: Bool) {
        guard let bar else { return }
        if succeeded { bar.succeed() } else { bar.fail() }
        for line in state.withLockedValue({ $0.notes }) { print(line) }
    }
}
