import Foundation
import PipelineModel
import StreamRules

/// The simulator's shared state: the archive, the rules, the delivery cursor that makes
/// delivery resumable across connections, and the connection log.
///
/// Only one stream connection is served at a time (the pay-per-use tier's limit): a
/// new connection supersedes the previous one, which stops at its next step.
public actor StreamFeed {
    /// A stream request as the route saw it.
    struct StreamRequest: Sendable {
        var authorization: String?
        var query: String
        var backfillMinutes: String?
        var acceptsGzip: Bool
    }

    /// The route's answer to a stream request.
    enum Admission: Sendable {
        case refused(status: Int, headers: [(String, String)], body: [UInt8])
        case accepted(Ticket)
    }

    /// What an accepted connection needs to run.
    struct Ticket: Sendable {
        var number: Int
        var startPosition: Int
        var gzip: Bool
        var midStreamFaults: [StreamFault]
    }

    /// Messages prepared for one write.
    struct Batch: Sendable {
        var bytes: [UInt8]
        var messages: Int
        var firstPosition: Int
        var nextPosition: Int
        var exhausted: Bool
        /// Positions of the messages, for de-duplicated counting.
        var positions: [Int]
    }

    let archive: FeedArchive
    let configuration: StreamSimConfiguration
    var ruleBook: RuleBook
    /// Which rules each feed post matches, as the bytes that end its message.
    var matches: MatchCache
    private var cursor = 0
    private var highWater = 0
    private var distinctSent = 0
    private var postsSent = 0
    private var heartbeats = 0
    var ruleRequests = 0
    private var activeConnection = 0
    private var connections: [SimStats.Connection] = []
    private var statusCodes: [String: Int] = [:]
    /// (first position of a batch, when it was sent), oldest first, trimmed to 5 minutes.
    private var sendLog: [(position: Int, at: ContinuousClock.Instant)] = []
    private var sendLogStart = 0
    private let clock = ContinuousClock()

    /// A feed serving `archive` under `configuration`, with its initial rules added.
    public init(archive: FeedArchive, configuration: StreamSimConfiguration) {
        self.archive = archive
        self.configuration = configuration
        var book = RuleBook(parser: RuleParser(maxLength: configuration.maxRuleLength), maxRules: configuration.maxRules)
        _ = book.add(configuration.initialRules, dryRun: false)
        self.ruleBook = book
        self.matches = MatchCache(postCount: archive.posts.count)
    }

    // MARK: Stream connections

    func openStream(_ request: StreamRequest) -> Admission {
        let number = connections.count + 1
        let faults = configuration.faults.filter { $0.connections.contains(number) }
        var entry = SimStats.Connection(number: number, status: 200, query: request.query, backfillMinutes: 0,
                                        gzip: false, faults: faults.map(\.description), postsSent: 0,
                                        heartbeatsSent: 0, ended: "refused")
        func refuse(_ status: Int, _ body: [UInt8], headers: [(String, String)] = []) -> Admission {
            entry.status = status
            connections.append(entry)
            statusCodes[String(status), default: 0] += 1
            return .refused(status: status, headers: headers, body: body)
        }
        guard configuration.accepts(authorization: request.authorization) else { return refuse(401, APIProblem.unauthorized()) }
        if let refusal = faults.first(where: \.isRefusal) {
            switch refusal.kind {
            case .unauthorized:
                return refuse(401, APIProblem.unauthorized())
            case .rateLimited(let reset):
                return refuse(429, APIProblem.tooManyRequests(), headers: rateLimitHeaders(reset: reset))
            case .tooManyConnections(let reset):
                return refuse(429, APIProblem.tooManyConnections(), headers: rateLimitHeaders(reset: reset))
            default:
                return refuse(503, APIProblem.serviceUnavailable())
            }
        }
        var backfill = 0
        if let text = request.backfillMinutes {
            guard let minutes = Int(text), (0...5).contains(minutes) else {
                return refuse(400, APIProblem.invalidRequest(
                    "The `backfill_minutes` query parameter value [\(text)] is not between 0 and 5"))
            }
            backfill = minutes
        }
        guard !ruleBook.rules.isEmpty else { return refuse(409, APIProblem.noRules()) }
        let gzip = switch configuration.compression {
        case .always: true
        case .never: false
        case .auto: request.acceptsGzip
        }
        entry.status = 200
        entry.backfillMinutes = backfill
        entry.gzip = gzip
        entry.ended = "open"
        connections.append(entry)
        statusCodes["200", default: 0] += 1
        activeConnection = number
        let start = backfill > 0 ? backfillStart(minutes: backfill) : cursor
        let midStream = faults.filter { !$0.isRefusal }.sorted { ($0.afterPosts ?? 0) < ($1.afterPosts ?? 0) }
        return .accepted(Ticket(number: number, startPosition: start, gzip: gzip, midStreamFaults: midStream))
    }

    private func rateLimitHeaders(reset: Int) -> [(String, String)] {
        let epoch = Int(Date.now.timeIntervalSince1970) + reset
        return [("x-rate-limit-limit", "50"), ("x-rate-limit-remaining", "0"), ("x-rate-limit-reset", String(epoch))]
    }

    private func backfillStart(minutes: Int) -> Int {
        let since = clock.now - .seconds(60 * minutes)
        let recent = sendLog[sendLogStart...].first { $0.at >= since }
        return recent?.position ?? cursor
    }

    func isActive(_ number: Int) -> Bool { activeConnection == number }

    /// Ends the open stream (its session notices within its 100 ms wake-up) so a graceful
    /// shutdown of the server does not wait for a stream that would never end.
    public func stopServing() { activeConnection = 0 }

    /// Up to `maxPosts` matching messages from `position` on, or nil when superseded.
    func batch(for number: Int, from position: Int, maxPosts: Int) -> Batch? {
        guard activeConnection == number else { return nil }
        var batch = Batch(bytes: [], messages: 0, firstPosition: position, nextPosition: position,
                          exhausted: false, positions: [])
        let count = archive.posts.count
        guard count > 0 else {
            batch.exhausted = true
            return batch
        }
        var scanned = 0
        var current = position
        while batch.messages < maxPosts, scanned < 50_000 {
            if configuration.loop == .off && current >= count {
                batch.exhausted = true
                break
            }
            if appendMessage(at: current, to: &batch.bytes) {
                batch.messages += 1
                batch.positions.append(current)
            }
            current += 1
            scanned += 1
        }
        batch.nextPosition = current
        if batch.messages == 0 && scanned >= count {
            // A whole pass matched nothing: waiting is all a looping feed can do.
            batch.exhausted = true
        }
        return batch
    }

    /// The next matching message from `position` on, without advancing anything.
    func peekMessage(from position: Int) -> [UInt8]? {
        let count = archive.posts.count
        guard count > 0 else { return nil }
        var bytes: [UInt8] = []
        var current = position
        while configuration.loop != .off || current < count {
            if appendMessage(at: current, to: &bytes) { return bytes }
            current += 1
            if current - position > count { return nil }
        }
        return nil
    }

    /// Records that `batch` was written in full by connection `number`.
    func commit(_ batch: Batch, for number: Int) {
        if batch.messages > 0 {
            postsSent += batch.messages
            distinctSent += batch.positions.lazy.filter { $0 >= self.highWater }.count
            highWater = max(highWater, batch.positions.last! + 1)
            connections[number - 1].postsSent += batch.messages
            let now = clock.now
            sendLog.append((batch.firstPosition, now))
            let oldest = now - .seconds(300)
            while sendLogStart < sendLog.count, sendLog[sendLogStart].at < oldest { sendLogStart += 1 }
            if sendLogStart > 4096 {
                sendLog.removeFirst(sendLogStart)
                sendLogStart = 0
            }
        }
        cursor = max(cursor, batch.nextPosition)
    }

    func recordHeartbeat(for number: Int) {
        heartbeats += 1
        connections[number - 1].heartbeatsSent += 1
    }

    func end(_ number: Int, reason: String) {
        guard connections[number - 1].ended == "open" else { return }
        connections[number - 1].ended = reason
        if activeConnection == number { activeConnection = 0 }
    }

    /// The connection log and counters, as `GET /sim/stats` reports them.
    public func stats() -> SimStats {
        SimStats(streamConnections: connections.count, streamStatusCodes: statusCodes, postsSent: postsSent,
                 distinctPostsSent: distinctSent, heartbeatsSent: heartbeats, ruleRequests: ruleRequests,
                 feedPosts: archive.posts.count, feedMalformedLines: archive.malformedLines,
                 feedCursor: cursor,
                 feedExhausted: configuration.loop == .off && cursor >= archive.posts.count,
                 rules: ruleBook.rules.map(RuleEntry.init), connections: connections)
    }
}
