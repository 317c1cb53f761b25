import PipelineModel
import CShutdownSignals
import Foundation
import Synchronization

/// SIGINT and SIGTERM, caught from the first instruction of an executable's `main` until it
/// exits, and turned into one "stop" request.
///
/// Executables install this before anything else (flag parsing included), so a signal
/// during startup — while a lexicon loads or MongoDB is prepared — is never the default
/// action (death by signal) but a request the startup code and the service group see.
/// Later signals while stopping are counted and otherwise ignored: shutdown always runs
/// to its end, so no post is abandoned between two steps.
///
/// The handler is a plain `sigaction` handler (in C: it only writes the signal number to
/// a pipe), installed synchronously: there is no window in which a signal is ignored or
/// lost. (A dispatch signal source would need `SIG_IGN` first and installs its own handler
/// later, asynchronously — a signal in between was lost, and a process never stopped.)
/// A thread of its own reads the pipe. From `install()` on, `/proc/PID/status` lists both
/// signals under SigCgt — what tests wait for before signalling.
public final class ShutdownSignals: Sendable {
    private struct State {
        var signal: Int32?
        var actions: [@Sendable (Int32) -> Void] = []
    }

    private let state = Mutex(State())

    /// The process's one instance, created by `install()`.
    private static let shared = Mutex<ShutdownSignals?>(nil)

    private init() {}

    /// Starts catching SIGINT and SIGTERM (idempotent) and returns the process's instance.
    @discardableResult
    public static func install() -> ShutdownSignals {
        shared.withLock { current in
            if let current { return current }
            let signals = ShutdownSignals()
            let readEnd = shutdown_signals_install()
            if readEnd >= 0 {
                Thread.detachNewThread { [signals] in signals.readSignals(from: readEnd) }
            } else {
                FileHandle.standardError.write(Data("cannot install the signal handler (errno \(errno))\n".utf8))
            }
            current = signals
            return signals
        }
    }

    /// The first signal received, nil while none came.
    public var received: Int32? { state.withLock { $0.signal } }

    /// True once a stop was requested.
    public var stopRequested: Bool { received != nil }

    /// Runs `action` on the first signal (at once, if one already came). Actions run on the
    /// signal thread: they must only start work (trigger a shutdown, cancel a task).
    public func onStop(_ action: @escaping @Sendable (Int32) -> Void) {
        let already: Int32? = state.withLock { state in
            if let signal = state.signal { return signal }
            state.actions.append(action)
            return nil
        }
        if let already { action(already) }
    }

    private func readSignals(from descriptor: Int32) {
        var byte: UInt8 = 0
        while true {
            let count = read(descriptor, &byte, 1)
            if count == 1 {
                receive(Int32(byte))
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }

    private func receive(_ number: Int32) {
        let actions: [@Sendable (Int32) -> Void] = state.withLock { state in
            guard state.signal == nil else { return [] }
            state.signal = number
            defer { state.actions.removeAll() }
            return state.actions
        }
        for action in actions { action(number) }
    }
}
