import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore

/// One HTTP/1.1 request to a server on 127.0.0.1, over a fresh connection with a read
/// timeout, through Hummingbird's NIO test client.
///
/// Not `URLSession`: on Linux its async API intermittently fails requests to chromedriver
/// with "Failed writing header", and its waits are not bounded the same way.
enum LoopbackHTTP {
    struct Reply: Sendable {
        var status: Int
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    static func request(_ method: HTTPRequest.Method, port: Int, path: String, body: Data? = nil,
                        contentType: String = "application/json",
                        timeout: Duration = .seconds(30)) async throws -> Reply {
        try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(timeout: timeout)) { client in
            var headers: HTTPFields = [:]
            if body != nil { headers[.contentType] = contentType }
            let request = TestClient.Request(path, method: method, authority: "127.0.0.1:\(port)", headers: headers,
                                             body: body.map { ByteBuffer(bytes: $0) })
            let response = try await client.execute(request)
            return Reply(status: response.status.code, body: response.body.map { Data(buffer: $0) } ?? Data())
        }
    }

    /// Polls `path` until it answers 200, at most `within`.
    static func waitFor200(port: Int, path: String, within: Duration) async throws {
        let deadline = ContinuousClock.now + within
        while ContinuousClock.now < deadline {
            if let reply = try? await request(.get, port: port, path: path, timeout: .seconds(5)), reply.status == 200 {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw WebDriver.Failure(description: "http://127.0.0.1:\(port)\(path) did not answer 200 within \(within)")
    }
}
