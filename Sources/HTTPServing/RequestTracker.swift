import HummingbirdCore
import NIOCore
import NIOHTTPTypes

/// Behind the HTTP decoder: tells `RequestPhase` when a head has arrived, a request has
/// been read and a response has ended.
final class RequestTracker: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let phase: RequestPhase

    init(phase: RequestPhase) {
        self.phase = phase
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: phase.headArrived()
        case .body: break
        case .end: phase.awaitingHead = true
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { phase.responseEnded() }
        context.write(data, promise: promise)
    }
}
