import CCurl
import Foundation

/// One libcurl easy handle with the options every request of the listener shares.
/// Not thread-safe: a handle lives on the one thread that performs it.
final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    private var headers: UnsafeMutablePointer<curl_slist>?
    /// C strings passed to setopt must outlive the transfer (libcurl copies most, but
    /// not POSTFIELDS): keep them here.
    private var retained: [UnsafeMutablePointer<CChar>] = []

    /// The versioned User-Agent X asks clients to send.
    static let userAgent = "sentiment-pipeline-listener/1.0 (Swift; libcurl)"

    private static let globalInit: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    /// A handle for `url`; without a token no `Authorization` header is sent (webhooks).
    init(url: String, token: BearerToken?, extraHeaders: [String] = []) throws {
        guard Self.globalInit, let handle = curl_easy_init() else { throw ListenerError.fatal("libcurl failed to initialise") }
        self.handle = handle
        set(CURLOPT_URL, url)
        set(CURLOPT_USERAGENT, Self.userAgent)
        set(CURLOPT_NOSIGNAL, 1)  // threads: no SIGALRM for DNS timeouts
        set(CURLOPT_ACCEPT_ENCODING, "")  // every encoding libcurl decodes (gzip, …)
        set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS))  // HTTP/2 over TLS when offered, else 1.1
        set(CURLOPT_TCP_KEEPALIVE, 1)
        set(CURLOPT_CONNECTTIMEOUT_MS, 10_000)
        set(CURLOPT_FOLLOWLOCATION, 0)  // never resend the token to another host
        for header in (token.map { ["Authorization: Bearer \($0.secret)"] } ?? []) + extraHeaders {
            // libcurl sends a header's bytes as given: a CR/LF inside would start another
            // header. BearerToken already refuses them; this keeps every header honest.
            guard !header.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw ListenerError.configuration("a request header holds a control character")
            }
            headers = curl_slist_append(headers, header)
        }
        _ = ccurl_setopt_slist(handle, CURLOPT_HTTPHEADER, headers)
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headers)
        retained.forEach { free($0) }
    }

    func set(_ option: CURLoption, _ value: Int) {
        _ = ccurl_setopt_long(handle, option, value)
    }

    func set(_ option: CURLoption, _ value: String) {
        _ = value.withCString { ccurl_setopt_string(handle, option, $0) }
    }

    /// Sets a POST body; libcurl does not copy POSTFIELDS, so it is retained here.
    func setPostBody(_ body: String) {
        let copy = strdup(body)!
        retained.append(copy)
        set(CURLOPT_POSTFIELDSIZE, strlen(copy))
        _ = ccurl_setopt_pointer(handle, CURLOPT_POSTFIELDS, copy)
    }

    /// Runs the transfer, blocking the calling thread.
    func perform() -> CURLcode { curl_easy_perform(handle) }

    var responseCode: Int {
        var code = 0
        _ = ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    static func describe(_ code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }
}
