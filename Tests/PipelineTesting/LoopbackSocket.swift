import Foundation
import Wiring

/// A TCP socket bound to 127.0.0.1 on a port the kernel picked: for finding a free port,
/// or (listening, never accepting) for a server that completes handshakes and then hangs.
public struct LoopbackSocket: Sendable {
    /// The socket's file descriptor.
    public let descriptor: Int32
    /// The port it is bound to.
    public let port: Int

    /// Binds a new socket; with `listening`, also listens (backlog 128).
    public init(listening: Bool = false) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw CommandFailure("cannot open a loopback socket (errno \(errno))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound, !listening || listen(fd, 128) == 0 else {
            let code = errno
            _ = Glibc.close(fd)
            throw CommandFailure("cannot bind a socket on 127.0.0.1 (errno \(code))")
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// A port on 127.0.0.1 that was free a moment ago (bound, read, closed).
    public static func freePort() throws -> Int {
        let socket = try LoopbackSocket()
        socket.close()
        return socket.port
    }

    /// Closes the socket.
    public func close() { _ = Glibc.close(descriptor) }
}
