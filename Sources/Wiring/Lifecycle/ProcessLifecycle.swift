import PipelineModel
import Foundation
import Logging
import ServiceLifecycle

/// How every executable runs: startup work that a signal can interrupt, then its parts as
/// `Service`s in one `ServiceGroup`, started in order and shut down gracefully in reverse
/// order on the first SIGINT/SIGTERM or when a part whose end ends the run finishes.
///
/// Signals come from `ShutdownSignals` (installed as the first instruction), not from the
/// group's own handlers, so there is no moment between start and exit when a signal kills
/// the process.
public struct ProcessLifecycle: Sendable {
    /// The process's signals.
    public let signals: ShutdownSignals
    /// Where lifecycle events are logged (at info and below: a normal stop is not news).
    public let logger: Logger
    /// Longest a graceful shutdown may take before the remaining parts are cancelled
    /// (cancellation still hands every post to the queue or the spill file).
    public var maximumGracefulShutdown: Duration? = .seconds(60)

    /// A lifecycle on `signals`.
    public init(signals: ShutdownSignals, logger: Logger) {
        self.signals = signals
        self.logger = logger
    }

    /// Runs startup work (open stores, load models) so that a stop request cancels it.
    /// Returns nil when a stop was requested before or during it: the caller then exits 0
    /// with nothing started. Errors other than those caused by the stop are rethrown.
    public func startup<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T? {
        if signals.stopRequested { return nil }
        let task = Task { try await body() }
        signals.onStop { _ in task.cancel() }
        do {
            let value = try await task.value
            return signals.stopRequested ? nil : value
        } catch {
            if signals.stopRequested {
                logger.info("stopped during startup")
                return nil
            }
            throw error
        }
    }

    /// Runs `services` until the first signal, or until a part configured to end the run
    /// finishes; then shuts down the others in reverse order, each finishing its work.
    /// A part that throws shuts the group down too and its error is rethrown.
    public func run(_ services: [ServiceGroupConfiguration.ServiceConfiguration]) async throws {
        if signals.stopRequested { return }
        var configuration = ServiceGroupConfiguration(services: services, logger: logger)
        configuration.maximumGracefulShutdownDuration = maximumGracefulShutdown
        let group = ServiceGroup(configuration: configuration)
        let logger = self.logger
        signals.onStop { number in
            logger.info("stop requested; finishing in-flight work", metadata: ["signal": "\(Self.name(of: number))"])
            Task { await group.triggerGracefulShutdown() }
        }
        do {
            try await group.run()
        } catch is CancellationError where signals.stopRequested {
            // A part cut short by the stop it was asked for: not a failure.
            logger.debug("a part ended by cancellation during the stop")
        }
    }

    private static func name(of signal: Int32) -> String {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(signal)"
        }
    }
}

extension ServiceGroupConfiguration.ServiceConfiguration {
    /// A part whose end (success or failure) shuts the whole run down gracefully.
    public static func endsRun(_ service: any Service) -> Self {
        .init(service: service, successTerminationBehavior: .gracefullyShutdownGroup,
              failureTerminationBehavior: .gracefullyShutdownGroup)
    }

    /// A part that runs until shutdown; if it fails, the run shuts down gracefully.
    public static func runsUntilStopped(_ service: any Service) -> Self {
        .init(service: service, successTerminationBehavior: .ignore,
              failureTerminationBehavior: .gracefullyShutdownGroup)
    }
}
