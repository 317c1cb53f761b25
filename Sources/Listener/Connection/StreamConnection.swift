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

        /// Creates a configuration.
        public init(url: String, token: BearerToken, stallTimeout: Duration = .seconds(20)) {
            self.url = url
            self.token = token
            self.stallTimeout = stallTimeout
        }
    }

    /// The events of this connection.
    public let events: AsyncStream<Event>
    private let context: TransferContext

    /// Starts connecting at once on a new thread.
    public init(configuration: Configuration) {
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .unbounded)
        events = stream
        context = TransferContext(continuation: continuation, stallTimeout: configuration.stallTimeout)
        let context = self.context
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

    deinit {
        context.cancel()
    }
}

/// State shared between the transfer thread and the callbacks.
/// `@unchecked Sendable`: every mutable field is guarded by `lock`, except `head`,
/// `errorBody` and `headEmitted`, which only the transfer thread touches.
private final class TransferContext: @unchecked Sendable {
    let continuation: AsyncStream<StreamConnection.Event>.Continuation
    private let lock = NSLock()
    private var cancelled = false
    private var stalled = false
    private var stall: StallDetector<ContinuousClock.Instant>
    var head = HTTPResponseHead(status: 0)
    var headEmitted = false
    var errorBody: [UInt8] = []

    init(continuation: AsyncStream<StreamConnection.Event>.Continuation, stallTimeout: Duration) {
        self.continuation = continuation
        stall = StallDetector(timeout: stallTimeout, start: .now)
    }

    func cancel() {
        lock.withLock { cancelled = true }
    }

    var isCancelled: Bool { lock.withLock { cancelled } }

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
        context.continuation.yield(.bytes(Array(bytes)))
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
