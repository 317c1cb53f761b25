import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 child channel with `ConnectionLimits` around it: admission through
/// the connection table, a header deadline in front of the HTTP decoder and a request
/// tracker behind it.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let responder: HTTPChannelHandler.Responder
    let limits: ConnectionLimits
    let table: ConnectionTable

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        // NIO runs child-channel setup on the channel's own event loop, so the pipeline can
        // be edited synchronously and the handlers can share one confined `RequestPhase`.
        let phase = RequestPhase(table: table, connection: ObjectIdentifier(channel))
        let admitted = table.admit(channel)
        if admitted {
            let table = self.table
            let connection = ObjectIdentifier(channel)
            channel.closeFuture.whenComplete { _ in table.remove(connection) }
        }
        do {
            let pipeline = channel.pipeline.syncOperations
            if !admitted { try pipeline.addHandler(ServiceUnavailableHandler()) }
            try pipeline.addHandler(HeaderDeadlineHandler(phase: phase, timeout: limits.headerTimeout))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        let tracker = NIOLoopBound(RequestTracker(phase: phase), eventLoop: channel.eventLoop)
        return http1(handlers: [tracker.value]).setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await http1(handlers: []).handle(value: value, logger: logger)
    }

    private func http1(handlers: @autoclosure @escaping @Sendable () -> [any RemovableChannelHandler]) -> HTTP1Channel {
        HTTP1Channel(responder: responder,
                     configuration: .init(additionalChannelHandlers: handlers(),
                                          idleTimeout: TimeAmount(limits.idleTimeout)))
    }
}
