import CCurl
import Foundation

/// One connection to the filtered stream: a libcurl transfer on its own thread (the
/// easy API blocks), delivering the response head, then body bytes as they arrive, then
/// how it ended, through an `AsyncStream`.
///
/// Stalls are detected inside libcurl's progress callback, which runs about once a second
/// even when no byte arrives: silence (heartbeats count as bytes) for `stallTimeout`
/// aborts the transfer with cause `.stalled`. `cancel()` aborts it the same way, so a quiet
/// stream stops within about a second.
///
/// Backpressure: the reader reports what it has processed with `consumed(_:)`. While more
/// than `maximumOutstandingBytes` delivered bytes await that report, libcurl's write
/// callback (on the transfer's own thread, never the cooperative pool) blocks, so libcurl
/// stops reading the socket and TCP flow control slows the server, instead of the event
/// buffer growing without bound. Time spent blocked by a slow reader never counts as a
/// stall (the server is not silent; we are not listening), and `cancel()` or the end of
/// `events` wakes the callback, so a stop never hangs.
public final class StreamConnection: Sendable {
    /// What one connection reports, in order: `head` (at most once), `bytes`…, `ended`.
    public enum Event: Sendable {
        /// Status and headers of the response.
        case head(HTTPResponseHead)
        /// Decompressed body bytes of a 200 response.
        case bytes([UInt8])
        /// The transfer is over: nil after `cancel()`, otherwise why it ended. For a
        /// non-200 answer `errorBody` holds the start of the body (never the token).
        case ended(DisconnectCause?, errorBody: String)
    }

    /// Settings of one connection.
    public struct Configuration: Sendable {
        /// The full stream URL including query.
        public var url: String
        /// The token, sent only in the Authorization header.
        public var token: BearerToken
        /// Silence after which the connection counts as stalled.
        public var stallTimeout: Duration
        /// Delivered bytes the reader may have outstanding (not yet `consumed`) before
        /// the transfer pauses; one libcurl chunk may go past it.
        public var maximumOutstandingBytes: Int

        /// Creates a configuration.
        public init(url: String, token: BearerToken, stallTimeout: Duration = .seconds(20),
                    maximumOutstandingBytes: Int = 4 << 20) {
            precondition(maximumOutstandingBytes > 0, "maximumOutstandingBytes must be positive")
            self.url = url
            self.token = token
            self.stallTimeout = stallTimeout
            self.maximumOutstandingBytes = maximumOutstandingBytes
        }
    }

    /// The events of this connection.
    public let events: AsyncStream<Event>
    private let context: TransferContext

    /// Starts connecting at once on a new thread.
    public init(configuration: Configuration) {
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .unbounded)
        events = stream
        context = TransferContext(continuation: continuation, stallTimeout: configuration.stallTimeout,
                                  maximumOutstandingBytes: configuration.maximumOutstandingBytes)
        let context = self.context
        // A reader that stops listening must not leave the transfer blocked on it.
        continuation.onTermination = { _ in context.cancel() }
        let thread = Thread {
            context.run(configuration: configuration)
        }
        thread.name = "listener-stream"
        thread.start()
    }

    /// Aborts the transfer; `events` ends with `.ended(nil, …)`.
    public func cancel() {
        context.cancel()
    }

    /// Reports that the reader has finished with `byteCount` bytes of `.bytes` events,
    /// letting the transfer deliver more. Call it after handling each `.bytes` event.
    public func consumed(_ byteCount: Int) {
        context.consumed(byteCount)
    }

    /// Delivered bytes not yet reported as consumed (for tests and gauges).
    public var outstandingBytes: Int { context.outstandingBytes }

    /// The most bytes that were ever outstanding at once on this connection.
    public var peakOutstandingBytes: Int { context.peakOutstandingBytes }

    /// True once the transfer is over (its last events may still be unread).
    var isFinished: Bool { context.isFinished }

    deinit {
        context.cancel()
    }
}

/// State shared between the transfer thread and the callbacks.
/// `@unchecked Sendable`: every mutable field is guarded by `lock`, except `head`,
/// `errorBody` and `headEmitted`, which only the transfer thread touches.
private final class TransferContext: @unchecked Sendable {
    let continuation: AsyncStream<StreamConnection.Event>.Continuation
    /// Guards the fields below; its condition wakes a write callback waiting for room.
    private let lock = NSCondition()
    private var cancelled = false
    private var stalled = false
    private var stall: StallDetector<ContinuousClock.Instant>
    private let maximumOutstanding: Int
    private var outstanding = 0
    private var peakOutstanding = 0
    private var finished = false
    var head = HTTPResponseHead(status: 0)
    var headEmitted = false
    var errorBody: [UInt8] = []

    init(continuation: AsyncStream<StreamConnection.Event>.Continuation, stallTimeout: Duration,
         maximumOutstandingBytes: Int) {
        self.continuation = continuation
        stall = StallDetector(timeout: stallTimeout, start: .now)
        maximumOutstanding = maximumOutstandingBytes
    }

    func cancel() {
        lock.withLock {
            cancelled = true
            lock.broadcast()
        }
    }

    var isCancelled: Bool { lock.withLock { cancelled } }

    var outstandingBytes: Int { lock.withLock { outstanding } }
    var peakOutstandingBytes: Int { lock.withLock { peakOutstanding } }
    var isFinished: Bool { lock.withLock { finished } }

    func consumed(_ count: Int) {
        lock.withLock {
            outstanding = max(0, outstanding - count)
            if outstanding <= maximumOutstanding { lock.broadcast() }
        }
    }

    /// Hands body bytes to the reader, then blocks (this is libcurl's thread) while the
    /// reader is too far behind. False when the transfer was cancelled meanwhile.
    func deliver(_ bytes: UnsafeRawBufferPointer) -> Bool {
        lock.withLock {
            outstanding += bytes.count
            peakOutstanding = max(peakOutstanding, outstanding)
        }
        continuation.yield(.bytes(Array(bytes)))
        return lock.withLock {
            var waited = false
            while outstanding > maximumOutstanding, !cancelled {
                waited = true
                lock.wait()
            }
            // Waiting on our reader is not server silence: restart the stall window.
            if waited { stall.bytesArrived(at: .now) }
            return !cancelled
        }
    }

    /// Called by the write and header callbacks: any byte resets the stall window.
    func noteBytes() {
        let now = ContinuousClock.now
        lock.withLock { stall.bytesArrived(at: now) }
    }

    /// Called by the progress callback: true when the transfer must abort.
    func shouldAbort() -> Bool {
        let now = ContinuousClock.now
        return lock.withLock {
            if cancelled { return true }
            if stall.isStalled(at: now) { stalled = true; return true }
            return false
        }
    }

    func emitHeadIfNeeded() {
        guard !headEmitted else { return }
        headEmitted = true
        continuation.yield(.head(head))
    }

    func run(configuration: StreamConnection.Configuration) {
        let easy: CurlEasy
        do {
            easy = try CurlEasy(url: configuration.url, token: configuration.token)
        } catch {
            continuation.yield(.ended(.network("\(error)"), errorBody: ""))
            continuation.finish()
            return
        }
        let opaque = Unmanaged.passUnretained(self).toOpaque()
        _ = ccurl_setopt_write_function(easy.handle, CURLOPT_WRITEFUNCTION, streamWrite)
        _ = ccurl_setopt_pointer(easy.handle, CURLOPT_WRITEDATA, opaque)
        _ = ccurl_setopt_write_function(easy.handle, CURLOPT_HEADERFUNCTION, streamHeader)
        _ = ccurl_setopt_pointer(easy.handle, CURLOPT_HEADERDATA, opaque)
        _ = ccurl_setopt_progress_function(easy.handle, streamProgress)
        _ = ccurl_setopt_pointer(easy.handle, CURLOPT_XFERINFODATA, opaque)
        easy.set(CURLOPT_NOPROGRESS, 0)
        // `self` outlives perform(): run() holds a strong reference for its duration.
        let code = easy.perform()
        if head.status == 0 { head.status = easy.responseCode }
        let cause: DisconnectCause?
        let (wasCancelled, wasStalled) = lock.withLock { (cancelled, stalled) }
        if wasCancelled {
            cause = nil
        } else if wasStalled {
            cause = .stalled
        } else if head.status != 200 && head.status != 0 {
            cause = .http(status: head.status, rateLimitReset: head.rateLimitReset)
        } else if code == CURLE_OK {
            cause = .streamEnded
        } else {
            cause = .network(CurlEasy.describe(code))
        }
        if head.status != 0 { emitHeadIfNeeded() }
        lock.withLock { finished = true }
        continuation.yield(.ended(cause, errorBody: String(decoding: errorBody, as: UTF8.self)))
        continuation.finish()
    }
}

private let streamWrite: ccurl_write_callback = { data, size, count, userdata in
    let total = size * count
    guard let data, let userdata else { return 0 }
    let context = Unmanaged<TransferContext>.fromOpaque(userdata).takeUnretainedValue()
    if context.isCancelled { return 0 }  // anything but `total` aborts the transfer
    context.noteBytes()
    context.emitHeadIfNeeded()
    let bytes = UnsafeRawBufferPointer(start: data, count: total)
    if context.head.status == 200 {
        guard context.deliver(bytes) else { return 0 }
    } else if context.errorBody.count < 4096 {
        context.errorBody.append(contentsOf: bytes.prefix(4096 - context.errorBody.count))
    }
    return total
}

private let streamHeader: ccurl_write_callback = { data, size, count, userdata in
    let total = size * count
    guard let data, let userdata else { return 0 }
    let context = Unmanaged<TransferContext>.fromOpaque(userdata).takeUnretainedValue()
    context.noteBytes()
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: total), as: UTF8.self)
    HTTPResponseHead.parse(headerLine: line, into: &context.head)
    // The blank line ends a head; report a final one at once (a quiet stream may send
    // no body byte for a while), but not an interim 1xx.
    if line == "\r\n" || line == "\n", context.head.status >= 200 { context.emitHeadIfNeeded() }
    return total
}

private let streamProgress: ccurl_progress_callback = { userdata, _, _, _, _ in
    guard let userdata else { return 1 }
    let context = Unmanaged<TransferContext>.fromOpaque(userdata).takeUnretainedValue()
    return context.shouldAbort() ? 1 : 0
}
