import NIOCore

/// In front of the HTTP decoder: when the first bytes of a request head arrive, closes the
/// connection unless the decoder has produced the whole head within `timeout`.
final class HeaderDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let phase: RequestPhase
    private let timeout: TimeAmount

    init(phase: RequestPhase, timeout: Duration) {
        self.phase = phase
        self.timeout = TimeAmount(timeout)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if phase.awaitingHead && phase.headerDeadline == nil {
            phase.headerDeadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
                context.close(promise: nil)
            }
            phase.table.markSpeaking(phase.connection)
        }
        // The decoder runs within this call: a complete head cancels the deadline at once.
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        phase.headerDeadline?.cancel()
        phase.headerDeadline = nil
        context.fireChannelInactive()
    }
}
