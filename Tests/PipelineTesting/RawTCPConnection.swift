import Foundation

/// A plain TCP connection to 127.0.0.1 for flood tests: open many, send a few bytes, and
/// ask without blocking whether the server has closed it. No HTTP client: the point is to
/// behave like a careless or hostile one.
public final class RawTCPConnection: @unchecked Sendable {
    // Invariant: `descriptor` is only used by the test that opened it, one call at a time.
    private let descriptor: Int32
    private var closedByPeer = false
    /// Everything the server sent so far.
    public private(set) var received = Data()

    /// Connects (blocking, at most 10 s) to `port` on 127.0.0.1.
    public init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure.errno("socket", errno) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw Failure.errno("connect", code)
        }
    }

    /// Sends `text` as UTF-8.
    public func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == bytes.count else { throw Failure.errno("send", errno) }
    }

    /// True once the server has closed the connection (end of stream or reset); reads
    /// whatever it sent meanwhile into `received`. Never blocks.
    public var isClosedByPeer: Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !closedByPeer {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 {
                received.append(contentsOf: chunk[0..<count])
            } else if count == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                closedByPeer = true
            } else {
                break
            }
        }
        return closedByPeer
    }

    /// Raises this process's soft limit on open files to its hard limit; returns the new
    /// soft limit.
    @discardableResult
    public static func raiseOpenFileLimit() -> Int {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return Int(clamping: limit.rlim_cur)
    }

    /// A socket call that failed, with its errno.
    public enum Failure: Error, CustomStringConvertible {
        case errno(String, Int32)

        public var description: String {
            switch self {
            case let .errno(call, code): "\(call): \(String(cString: strerror(code)))"
            }
        }
    }

    deinit { Glibc.close(descriptor) }
}

/// Polls `condition` every 50 ms until it holds or `within` has passed; true if it held.
public func eventually(within: Duration, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + within
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return condition()
}
