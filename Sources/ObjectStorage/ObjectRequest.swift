import CCurl
import Foundation

/// One signed S3 request: method, URL, headers and a body, in memory or a range of a file
/// read as it is sent. `perform` runs it with libcurl on a thread of its own (the call
/// blocks), signed by libcurl itself (`CURLOPT_AWS_SIGV4` with the key pair as user name
/// and password).
struct ObjectRequest: Sendable {
    var method: String
    var url: String
    var headers: [String] = []
    var body: [UInt8] = []
    /// A body read from disk instead of `body`; `payloadSHA256` must then be given.
    var file: FileRange?
    /// The body's SHA-256 in hex when the caller has it already: hashed once, not twice.
    var payloadSHA256: String?

    /// The status, the headers (names lowercased) and the body of the final response.
    struct Response: Sendable {
        var status = 0
        var headers: [String: String] = [:]
        var body: [UInt8] = []

        /// `<Code>` of an S3 error document, else the status's meaning.
        var errorCode: String {
            XMLText.first("Code", in: body) ?? (status == 403 ? "AccessDenied" : "HTTP \(status)")
        }
    }

    /// Runs the request on its own thread; a transport failure is `ObjectStoreError.unreachable`.
    func perform(_ configuration: ObjectStoreConfiguration) async throws -> Response {
        try await OwnThread.run("object-storage") { try self.performBlocking(configuration).get() }
    }

    private func performBlocking(_ configuration: ObjectStoreConfiguration) -> Result<Response, ObjectStoreError> {
        guard CurlGlobal.ready, let handle = curl_easy_init() else { return .failure(.unreachable("libcurl failed to initialise")) }
        defer { curl_easy_cleanup(handle) }
        var descriptor: Int32 = -1
        if let file {
            descriptor = open(file.path, O_RDONLY)
            guard descriptor >= 0 else { return .failure(.configuration("cannot read \(file.path)")) }
        }
        defer { if descriptor >= 0 { close(descriptor) } }
        let exchange = Exchange(body: body, file: file, descriptor: descriptor)
        var list: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(list) }
        let payloadHash = payloadSHA256 ?? (body.isEmpty ? Digest.emptySHA256 : Digest.hex(Digest.of(body, .sha256)))
        // libcurl 7.88 signs no payload hash of its own for uploads: the header given here
        // is the one it signs (and S3 checks the body against). No `Expect:` to switch off
        // `100-continue`: libcurl would sign the header it then does not send.
        var all = headers + ["x-amz-content-sha256: \(payloadHash)"]
        if let token = configuration.credentials.sessionToken { all.append("x-amz-security-token: \(token)") }
        for header in all { list = curl_slist_append(list, header) }

        func set(_ option: CURLoption, _ value: Int) { _ = ccurl_setopt_long(handle, option, value) }
        func set(_ option: CURLoption, _ value: String) { _ = value.withCString { ccurl_setopt_string(handle, option, $0) } }
        set(CURLOPT_URL, url)
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_CONNECTTIMEOUT_MS, Int(configuration.connectTimeout.components.seconds * 1000))
        set(CURLOPT_LOW_SPEED_LIMIT, 1)
        set(CURLOPT_LOW_SPEED_TIME, max(1, Int(configuration.stallTimeout.components.seconds)))
        set(CURLOPT_FOLLOWLOCATION, 0)
        set(CURLOPT_AWS_SIGV4, "aws:amz:\(configuration.region):s3")
        set(CURLOPT_USERNAME, configuration.credentials.accessKeyID)
        set(CURLOPT_PASSWORD, configuration.credentials.secretAccessKey)
        _ = ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, list)
        let opaque = Unmanaged.passUnretained(exchange).toOpaque()
        _ = ccurl_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, receiveBody)
        _ = ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, opaque)
        _ = ccurl_setopt_write_function(handle, CURLOPT_HEADERFUNCTION, receiveHeader)
        _ = ccurl_setopt_pointer(handle, CURLOPT_HEADERDATA, opaque)
        switch method {
        case "PUT", "POST":
            // The same read path for both: UPLOAD sends the body with its length, and the
            // custom method word turns the PUT into a POST where needed.
            set(CURLOPT_UPLOAD, 1)
            set(CURLOPT_INFILESIZE, exchange.length)
            _ = ccurl_setopt_write_function(handle, CURLOPT_READFUNCTION, sendBody)
            _ = ccurl_setopt_pointer(handle, CURLOPT_READDATA, opaque)
            if method == "POST" { set(CURLOPT_CUSTOMREQUEST, "POST") }
        case "HEAD":
            set(CURLOPT_NOBODY, 1)
        case "GET":
            break
        default:
            set(CURLOPT_CUSTOMREQUEST, method)
        }
        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            return .failure(.unreachable("\(String(cString: curl_easy_strerror(code))) (\(Self.hostOnly(url)))"))
        }
        var status = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        exchange.response.status = status
        return .success(exchange.response)
    }

    /// Scheme, host and port of a URL, for messages.
    static func hostOnly(_ url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return "the endpoint" }
        return "\(components.scheme ?? "https")://\(host)\(components.port.map { ":\($0)" } ?? "")"
    }
}

/// libcurl's one-time global setup, done before the first handle.
enum CurlGlobal {
    static let ready: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
}

/// The body going out and the response coming in; touched only by the performing thread.
private final class Exchange {
    let body: [UInt8]
    let file: FileRange?
    let descriptor: Int32
    var sent = 0
    var response = ObjectRequest.Response()

    init(body: [UInt8], file: FileRange?, descriptor: Int32) {
        self.body = body
        self.file = file
        self.descriptor = descriptor
    }

    /// Bytes of the body.
    var length: Int { file?.length ?? body.count }
}

/// Copies the next piece of the body into libcurl's buffer: from memory, or read from the
/// file at its place (a short file aborts the transfer rather than send less than signed).
private let sendBody: ccurl_write_callback = { buffer, size, count, context in
    guard let buffer, let context else { return 0 }
    let exchange = Unmanaged<Exchange>.fromOpaque(context).takeUnretainedValue()
    let length = min(size * count, exchange.length - exchange.sent)
    guard length > 0 else { return 0 }
    if let file = exchange.file {
        let read = pread(exchange.descriptor, buffer, length, off_t(file.offset) + off_t(exchange.sent))
        guard read > 0 else { return Int(CURL_READFUNC_ABORT) }
        exchange.sent += read
        return read
    }
    exchange.body.withUnsafeBytes { bytes in
        UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + exchange.sent, byteCount: length)
    }
    exchange.sent += length
    return length
}

private let receiveBody: ccurl_write_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let exchange = Unmanaged<Exchange>.fromOpaque(context).takeUnretainedValue()
    exchange.response.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}

private let receiveHeader: ccurl_write_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let exchange = Unmanaged<Exchange>.fromOpaque(context).takeUnretainedValue()
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
    if line.hasPrefix("HTTP/") {
        // A new response (after a `100 Continue`): its headers replace the last one's.
        exchange.response.headers = [:]
    } else if let colon = line.firstIndex(of: ":") {
        let name = line[..<colon].lowercased()
        exchange.response.headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
    }
    return size * count
}
