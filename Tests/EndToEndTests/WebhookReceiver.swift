import Foundation
import PipelineTesting
import Synchronization

/// A webhook receiver on 127.0.0.1 for the alert tests: a plain HTTP/1.1 server on its own
/// thread that reads each POST, answers 503 to the first `failFirst` requests and 200 to
/// the rest, and keeps every request (its `Idempotency-Key`, its body, the answer given).
final class WebhookReceiver: Sendable {
    /// One request as received.
    struct Request: Sendable {
        var idempotencyKey: String?
        var body: [String: String]
        var answered: Int
    }

    let port: Int
    private let socket: LoopbackSocket
    private let failFirst: Int
    private let received = Mutex<[Request]>([])
    private let accepting = Mutex(false)

    init(failFirst: Int) throws {
        socket = try LoopbackSocket(listening: true)
        port = socket.port
        self.failFirst = failFirst
        let thread = Thread { [self] in serve() }
        thread.name = "webhook-receiver"
        thread.start()
    }

    /// The URL to give `--alert-webhook`.
    var url: String { "http://127.0.0.1:\(port)/hook" }

    /// Every request so far, in arrival order.
    var requests: [Request] { received.withLock { $0 } }

    /// Answers 200 from now on, whatever `failFirst` said.
    func acceptEverything() { accepting.withLock { $0 = true } }

    /// Stops accepting (the serving thread ends on the failed accept).
    func close() { shutdown(socket.descriptor, Int32(SHUT_RDWR)); socket.close() }

    private func serve() {
        while true {
            let connection = accept(socket.descriptor, nil, nil)
            guard connection >= 0 else { return }
            handle(connection)
            Glibc.close(connection)
        }
    }

    private func handle(_ connection: Int32) {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var headEnd: Int?
        var contentLength = 0
        while true {
            let count = read(connection, &buffer, buffer.count)
            guard count > 0 else { return }
            bytes += buffer[0..<count]
            if headEnd == nil, let end = Self.find([13, 10, 13, 10], in: bytes) {
                headEnd = end + 4
                let head = String(decoding: bytes[0..<end], as: UTF8.self)
                contentLength = Self.header("content-length", in: head).flatMap { Int($0) } ?? 0
            }
            if let headEnd, bytes.count >= headEnd + contentLength { break }
        }
        let end = headEnd!
        let head = String(decoding: bytes[0..<end], as: UTF8.self)
        let json = (try? JSONSerialization.jsonObject(with: Data(bytes[end..<(end + contentLength)]))) as? [String: Any]
        let body = (json ?? [:]).mapValues { "\($0)" }
        let status = received.withLock { list -> Int in
            let status = list.count < failFirst && !accepting.withLock({ $0 }) ? 503 : 200
            list.append(Request(idempotencyKey: Self.header("idempotency-key", in: head), body: body, answered: status))
            return status
        }
        let reply = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Service Unavailable")\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        _ = reply.withCString { write(connection, $0, strlen($0)) }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where Array(haystack[start..<(start + needle.count)]) == needle {
            return start
        }
        return nil
    }

    private static func header(_ name: String, in head: String) -> String? {
        for line in head.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == name {
                return parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}
