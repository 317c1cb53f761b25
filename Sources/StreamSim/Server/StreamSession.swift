import Hummingbird
import Logging

/// One accepted stream connection: writes messages, heartbeats and injected faults to
/// the response body until the client leaves, a fault ends it, or it is superseded.
struct StreamSession {
    /// Thrown to drop the connection without finishing the chunked body (a fault).
    struct AbruptClose: Error {}

    let feed: StreamFeed
    let ticket: StreamFeed.Ticket
    let configuration: StreamSimConfiguration
    let logger: Logger

    func run(_ writer: inout any ResponseBodyWriter) async throws {
        var output = Output(gzip: ticket.gzip ? GzipEncoder() : nil,
                            splitter: configuration.chunkSplit.map(ChunkSplitter.init))
        let number = ticket.number
        do {
            try await loop(&writer, &output)
        } catch is AbruptClose {
            throw AbruptClose()
        } catch {
            await feed.end(number, reason: Task.isCancelled ? "server-stopped" : "client-closed")
            throw error
        }
    }

    private func loop(_ writer: inout any ResponseBodyWriter, _ output: inout Output) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let number = ticket.number
        let heartbeat = configuration.heartbeatInterval
        var lastWrite = start
        var position = ticket.startPosition
        var sent = 0
        var exhausted = false
        var pending = ticket.midStreamFaults[...]

        while true {
            try Task.checkCancellation()
            if let fault = pending.first, let after = fault.afterPosts, sent >= after {
                pending = pending.dropFirst()
                switch fault.kind {
                case .stall(_, let seconds):
                    logger.info("fault: stalling", metadata: ["connection": "\(number)", "seconds": "\(seconds)"])
                    let deadline = clock.now + .milliseconds(Int64(seconds * 1000))
                    while clock.now < deadline {
                        guard await feed.isActive(number) else { return await feed.end(number, reason: "superseded") }
                        try await Task.sleep(for: min(.milliseconds(50), deadline - clock.now))
                    }
                    lastWrite = clock.now
                    continue
                case .disconnect:
                    logger.info("fault: disconnecting mid-message", metadata: ["connection": "\(number)"])
                    let message = await feed.peekMessage(from: position) ?? Array("{\"data\":{\"id\":\"".utf8)
                    try await output.write(Array(message[0..<(message.count / 2)]), to: &writer)
                    await feed.end(number, reason: "fault-disconnect")
                    throw AbruptClose()
                case .operationalDisconnect:
                    logger.info("fault: operational disconnect", metadata: ["connection": "\(number)"])
                    try await output.write(APIProblem.operationalDisconnect, to: &writer)
                    await feed.end(number, reason: "operational-disconnect")
                    return
                default:
                    continue
                }
            }

            var allowance = configuration.postsPerWrite
            if let after = pending.first?.afterPosts { allowance = min(allowance, after - sent) }
            if case .postsPerSecond(let rate) = configuration.pacing {
                let elapsed = (clock.now - start) / .seconds(1)
                allowance = min(allowance, Int(elapsed * rate) + 1 - sent)
            }
            if allowance > 0 && !exhausted {
                guard let batch = await feed.batch(for: number, from: position, maxPosts: allowance) else {
                    return await feed.end(number, reason: "superseded")
                }
                exhausted = batch.exhausted
                if batch.messages > 0 {
                    try await output.write(batch.bytes, to: &writer)
                    lastWrite = clock.now
                    sent += batch.messages
                }
                await feed.commit(batch, for: number)
                position = batch.nextPosition
                if batch.messages > 0 || (!exhausted && clock.now - lastWrite < heartbeat) { continue }
            }

            if exhausted && configuration.endStreamWhenExhausted {
                return await feed.end(number, reason: "feed-exhausted")
            }
            guard await feed.isActive(number) else { return await feed.end(number, reason: "superseded") }
            let now = clock.now
            if now - lastWrite >= heartbeat {
                try await output.write(Self.heartbeat, to: &writer)
                await feed.recordHeartbeat(for: number)
                lastWrite = now
                continue
            }
            var wake = min(lastWrite + heartbeat, now + .milliseconds(100))
            if case .postsPerSecond(let rate) = configuration.pacing, !exhausted, allowance <= 0 {
                wake = min(wake, start + .milliseconds(Int64(Double(sent) / rate * 1000)))
            }
            try await Task.sleep(until: wake, clock: clock)
        }
    }

    private static let heartbeat = Array("\r\n".utf8)

    /// Applies gzip and chunk splitting to what the session writes.
    struct Output {
        var gzip: GzipEncoder?
        var splitter: ChunkSplitter?

        mutating func write(_ bytes: [UInt8], to writer: inout any ResponseBodyWriter) async throws {
            let payload = gzip.map { $0.encode(bytes) } ?? bytes
            guard var splitter else {
                try await writer.write(ByteBuffer(bytes: payload))
                return
            }
            let pieces = splitter.pieces(of: payload.count).map { ByteBuffer(bytes: payload[$0]) }
            self.splitter = splitter
            try await writer.write(contentsOf: pieces)
        }
    }
}
