import Foundation
import HTTPServing
import Logging
import PipelineTesting
import StreamSim
import Testing

/// Issue 14 row 2 for the simulator's server: half-sent heads and idle connections are
/// closed, and a full server makes room for a new client.
@Suite struct StreamSimConnectionLimitTests {
    @Test(.timeLimit(.minutes(1)))
    func halfSentAndIdleConnectionsAreClosedAndRoomIsMade() async throws {
        var configuration = StreamSimConfiguration()
        configuration.heartbeatInterval = .seconds(30)
        let feed = StreamFeed(archive: FeedArchive.parse(Array(#"{"data":{"id":"1","text":"coffee"}}"#.utf8)),
                              configuration: configuration)
        var logger = Logger(label: "stream-sim-test")
        logger.logLevel = .warning
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = buildApplication(configuration: configuration, feed: feed, logger: logger,
                                   limits: ConnectionLimits(idleTimeout: .seconds(2), headerTimeout: .milliseconds(300),
                                                            maxConnections: 4)) { continuation.yield($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())

            let idle = try (0..<6).map { _ in try RawTCPConnection(port: port) }
            let slow = try RawTCPConnection(port: port)
            try slow.send("GET /sim/stats HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            let client = try RawTCPConnection(port: port)
            try client.send("GET /sim/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(await eventually(within: .seconds(20)) {
                _ = client.isClosedByPeer
                return String(decoding: client.received, as: UTF8.self).hasPrefix("HTTP/1.1 200 OK\r\n")
            })
            #expect(await eventually(within: .seconds(20)) { slow.isClosedByPeer }, "header timeout")
            #expect(await eventually(within: .seconds(20)) { idle.allSatisfy { $0.isClosedByPeer } }, "idle timeout")
            #expect(idle.allSatisfy { $0.received.isEmpty })
            group.cancelAll()
        }
    }
}
