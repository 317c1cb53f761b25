import NIOCore

/// Answers a connection past the limit with a fixed `503` and closes it, before any HTTP
/// handling: it sits first in the pipeline and writes raw bytes.
final class ServiceUnavailableHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    private static let response = """
        HTTP/1.1 503 Service Unavailable\r
        Content-Type: text/plain; charset=utf-8\r
        Content-Length: 34\r
        Retry-After: 1\r
        Connection: close\r
        \r
        too many connections, retry later\n
        """

    private var refused = false

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { refuse(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        refuse(context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Nothing this connection sends is read.
    }

    private func refuse(_ context: ChannelHandlerContext) {
        guard !refused else { return }
        refused = true
        let bytes = context.channel.allocator.buffer(string: Self.response)
        context.writeAndFlush(NIOAny(bytes)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }
}
