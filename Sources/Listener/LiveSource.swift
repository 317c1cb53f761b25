import Foundation
import Logging
import ServiceLifecycle

/// The live stream as a part of the service group: syncs rules, then follows the stream
/// into the hand-off until graceful shutdown (or a fatal error, which it throws).
public struct LiveSource: Service {
    private let listener: StreamListener
    private let token: BearerToken
    private let handoff: PostHandoff
    private let archive: ArchiveWriter?
    private let before: @Sendable () async throws -> Void
    private let finished: @Sendable (StreamListener.Report) -> Void

    /// Follows the stream with `token` into `handoff`, archiving raw lines to `archive`.
    /// `before` runs first; `finished` receives the report after a stop.
    public init(listener: StreamListener, token: BearerToken, handoff: PostHandoff, archive: ArchiveWriter?,
                before: @escaping @Sendable () async throws -> Void = {},
                finished: @escaping @Sendable (StreamListener.Report) -> Void) {
        self.listener = listener
        self.token = token
        self.handoff = handoff
        self.archive = archive
        self.before = before
        self.finished = finished
    }

    public func run() async throws {
        try await before()
        let listener = self.listener
        let token = self.token
        let handoff = self.handoff
        let archive = self.archive
        defer { archive?.close() }
        let report = try await cancelWhenGracefulShutdown {
            try await listener.run(token: token, handoff: handoff, archive: archive)
        }
        finished(report)
    }
}
