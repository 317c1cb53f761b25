import Logging
import Synchronization
import NIOCore

/// The open connections of one server and whether each has a request in progress,
/// shared by all event loops. Admitting a connection past capacity closes the one idle
/// the longest, so idle floods cannot lock out a probe; connections serving a request
/// (SSE streams included) are never closed to make room. A connection whose request head
/// has begun to arrive is closed only when no silent one is left: a probe that has sent its
/// request must not lose its place to connections that have sent nothing (its head is
/// bounded by the header deadline, so this cannot be used to hold a place).
final class ConnectionTable: Sendable {
    private struct Entry {
        var channel: any Channel
        var busy: Bool
        /// A request head has begun and not yet ended.
        var speaking: Bool
        var idleSince: NIODeadline
    }

    private let capacity: Int
    private let logger: Logger
    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])
    /// When the last refusal was logged: a flood must not become a log flood.
    private let lastWarning = Mutex<NIODeadline?>(nil)

    init(capacity: Int, logger: Logger) {
        self.capacity = capacity
        self.logger = logger
    }

    /// Records `channel` as open; false when the table is full of busy connections.
    func admit(_ channel: any Channel) -> Bool {
        let (admitted, evicted): (Bool, (any Channel)?) = entries.withLock { entries in
            var evicted: (any Channel)?
            if entries.count >= capacity {
                guard let oldest = entries.filter({ !$0.value.busy }).min(by: Self.evictedFirst)
                else { return (false, nil) }
                entries[oldest.key] = nil
                evicted = oldest.value.channel
            }
            entries[ObjectIdentifier(channel)] = Entry(channel: channel, busy: false, speaking: false, idleSince: .now())
            return (true, evicted)
        }
        if let evicted {
            logger.debug("connection limit reached: closing the longest-idle connection", metadata: ["limit": "\(capacity)"])
            evicted.close(promise: nil)
        } else if !admitted, shouldWarn() {
            logger.warning("connection limit reached with every connection busy: answering 503",
                           metadata: ["limit": "\(capacity)"])
        }
        return admitted
    }

    /// Silent connections before those with a head under way, then the longest idle.
    private static func evictedFirst(_ a: (key: ObjectIdentifier, value: Entry),
                                     _ b: (key: ObjectIdentifier, value: Entry)) -> Bool {
        if a.value.speaking != b.value.speaking { return !a.value.speaking }
        return a.value.idleSince < b.value.idleSince
    }

    private func shouldWarn() -> Bool {
        lastWarning.withLock { last in
            let now = NIODeadline.now()
            guard last.map({ now - $0 >= .seconds(10) }) ?? true else { return false }
            last = now
            return true
        }
    }

    /// Marks a connection as serving a request (`busy`) or idle from now on.
    func mark(_ connection: ObjectIdentifier, busy: Bool) {
        entries.withLock { entries in
            entries[connection]?.busy = busy
            entries[connection]?.speaking = false
            if !busy { entries[connection]?.idleSince = .now() }
        }
    }

    /// Marks a connection whose request head has begun to arrive.
    func markSpeaking(_ connection: ObjectIdentifier) {
        entries.withLock { $0[connection]?.speaking = true }
    }

    /// Forgets a closed connection.
    func remove(_ connection: ObjectIdentifier) {
        _ = entries.withLock { $0.removeValue(forKey: connection) }
    }

    /// Connections open now.
    var count: Int { entries.withLock { $0.count } }
}
