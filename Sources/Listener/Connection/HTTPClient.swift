import CCurl
import Foundation

/// Small one-shot HTTP requests (the rules endpoints, alert webhooks) over libcurl, each
/// performed on its own thread so the blocking call never occupies a Swift concurrency thread.
public struct HTTPClient: Sendable {
    /// A complete response.
    public struct Response: Sendable {
        /// Status code, 0 when no response arrived.
        public var head: HTTPResponseHead
        /// The body.
        public var body: Data
    }

    /// The token sent with every request; nil sends none (a webhook must never see X's token).
    public let token: BearerToken?
    /// Total time allowed per request.
    public var timeout: Duration = .seconds(30)

    /// Creates a client sending `token` (nil: no `Authorization` header).
    public init(token: BearerToken?) {
        self.token = token
    }

    /// Performs a GET or (with `jsonBody`) a POST with `headers` (`Name: value` lines) added.
    /// Throws `ListenerError` on a network failure or timeout; HTTP errors are returned as responses.
    public func send(url: String, jsonBody: String? = nil, headers: [String] = []) async throws -> Response {
        let token = token
        let timeoutMS = Int(timeout.inMilliseconds)
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Self.perform(url: url, token: token, jsonBody: jsonBody, headers: headers,
                                                       timeoutMS: timeoutMS))
            }
            thread.name = "listener-http"
            thread.start()
        }
    }

    private static func perform(url: String, token: BearerToken?, jsonBody: String?, headers: [String],
                                timeoutMS: Int) -> Result<Response, any Error> {
        let sink = ResponseSink()
        do {
            let easy = try CurlEasy(url: url, token: token,
                                    extraHeaders: (jsonBody == nil ? [] : ["Content-Type: application/json"]) + headers)
            easy.set(CURLOPT_TIMEOUT_MS, timeoutMS)
            if let jsonBody { easy.setPostBody(jsonBody) }
            let opaque = Unmanaged.passUnretained(sink).toOpaque()
            _ = ccurl_setopt_write_function(easy.handle, CURLOPT_WRITEFUNCTION, collectBody)
            _ = ccurl_setopt_pointer(easy.handle, CURLOPT_WRITEDATA, opaque)
            _ = ccurl_setopt_write_function(easy.handle, CURLOPT_HEADERFUNCTION, collectHeader)
            _ = ccurl_setopt_pointer(easy.handle, CURLOPT_HEADERDATA, opaque)
            let code = easy.perform()
            guard code == CURLE_OK else {
                return .failure(ListenerError.rules("cannot reach \(Self.hostOnly(url)): \(CurlEasy.describe(code))"))
            }
            if sink.head.status == 0 { sink.head.status = easy.responseCode }
            return .success(Response(head: sink.head, body: sink.body))
        } catch {
            return .failure(error)
        }
    }

    /// Scheme and host of a URL, for error messages (no query strings).
    static func hostOnly(_ url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return "the API" }
        return "\(components.scheme ?? "http")://\(host)\(components.port.map { ":\($0)" } ?? "")"
    }
}

/// Accumulates one response; touched only by the performing thread.
private final class ResponseSink {
    var head = HTTPResponseHead(status: 0)
    var body = Data()
}

private let collectBody: ccurl_write_callback = { data, size, count, userdata in
    guard let data, let userdata else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
    sink.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
    return size * count
}

private let collectHeader: ccurl_write_callback = { data, size, count, userdata in
    guard let data, let userdata else { return 0 }
    let sink = Unmanaged<ResponseSink>.fromOpaque(userdata).takeUnretainedValue()
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
    HTTPResponseHead.parse(headerLine: line, into: &sink.head)
    return size * count
}
