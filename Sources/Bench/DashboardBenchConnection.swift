import Foundation

/// A blocking HTTP/1.1 keep-alive connection to a server on 127.0.0.1, for the dashboard
/// benchmark: one request at a time, bodies with `Content-Length`, or a raw byte feed for
/// Server-Sent Events. Runs on its own thread (never the cooperative pool, which the
/// server's handlers need), so what it measures is the server, not a client library.
final class DashboardBenchConnection {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let fd: Int32
    private var buffer: [UInt8] = []

    /// Connects to `127.0.0.1:port` with Nagle off (requests are small and latency-bound).
    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(fd)
            throw Failure(description: "cannot connect to 127.0.0.1:\(port)")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// Sends `GET path` and reads the whole response (`Content-Length` or chunked), handing
    /// each piece of the body to `body` and keeping none of it; returns status and body size.
    @discardableResult
    func get(_ path: String, body: ([UInt8]) -> Void = { _ in }) throws -> (status: Int, bytes: Int) {
        try send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let head = try readHead()
        let lines = head.split(separator: "\r\n")
        guard let statusLine = lines.first,
              let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else {
            throw Failure(description: "bad status line for \(path)")
        }
        if lines.contains(where: { $0.lowercased().hasPrefix("transfer-encoding:") && $0.lowercased().contains("chunked") }) {
            var total = 0
            while true {
                let sizeEnd = try bufferedLineEnd()
                let sizeText = String(decoding: buffer[..<sizeEnd], as: UTF8.self).split(separator: ";").first ?? ""
                guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                    throw Failure(description: "\(path): bad chunk size \(sizeText)")
                }
                buffer.removeFirst(sizeEnd + 2)
                if size == 0 {
                    _ = try bufferedLineEnd()  // the empty trailer line
                    buffer.removeFirst(2)
                    return (status, total)
                }
                while buffer.count < size + 2 { try fill() }
                body(Array(buffer[..<size]))
                buffer.removeFirst(size + 2)
                total += size
            }
        }
        guard let lengthLine = lines.first(where: { $0.lowercased().hasPrefix("content-length:") }),
              let length = Int(lengthLine.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) else {
            throw Failure(description: "\(path): response without Content-Length or chunks")
        }
        while buffer.count < length { try fill() }
        body(Array(buffer[..<length]))
        buffer.removeFirst(length)
        return (status, length)
    }

    /// Index of the next CRLF in the buffer, reading until there is one.
    private func bufferedLineEnd() throws -> Int {
        while true {
            if let end = Self.find([13, 10], in: buffer, from: 0) { return end }
            try fill()
        }
    }

    /// Writes `text` whole.
    func send(_ text: String) throws {
        var bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + sent, $0.count - sent) }
            guard n > 0 else { throw Failure(description: "write failed") }
            sent += n
        }
    }

    /// Reads up to the end of the response head and returns it (the rest stays buffered).
    func readHead() throws -> String {
        while true {
            if let end = Self.find([13, 10, 13, 10], in: buffer, from: 0) {
                let head = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 4)
                return head
            }
            try fill()
        }
    }

    /// Takes what has been buffered so far (for streams).
    func takeBuffered() -> [UInt8] {
        defer { buffer.removeAll(keepingCapacity: true) }
        return buffer
    }

    /// Appends what one `read` returns; throws on EOF, error or the 30 s receive timeout.
    func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { throw Failure(description: n == 0 ? "connection closed" : "read failed or timed out") }
        buffer.append(contentsOf: chunk[0..<n])
    }

    /// Index of the first occurrence of `pattern` in `bytes` at or after `start`.
    static func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= pattern.count, start <= bytes.count - pattern.count else { return nil }
        var i = start
        while i <= bytes.count - pattern.count {
            if bytes[i] == pattern[0] && Array(bytes[i..<(i + pattern.count)]) == pattern { return i }
            i += 1
        }
        return nil
    }
}
