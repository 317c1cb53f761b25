import PipelineTesting
import Wiring

/// A TCP socket on loopback that completes handshakes (the kernel's backlog) but never
/// accepts or answers: a MongoDB that hangs.
final class StalledServer {
    private let socket: LoopbackSocket
    var port: Int { socket.port }

    init() throws {
        socket = try LoopbackSocket(listening: true)
    }

    func close() { socket.close() }
}
