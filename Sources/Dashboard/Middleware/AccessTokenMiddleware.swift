import Foundation
import Hummingbird

/// Requires the access token on every route but `/healthz`.
///
/// Accepted as `Authorization: Bearer TOKEN`, as the password of basic auth (any user
/// name: browsers then prompt for it), as the `dashboard_token` cookie, or as `?token=`
/// — which sets the cookie and, for pages, redirects to the same URL without the token
/// so it does not linger in the address bar or history.
struct AccessTokenMiddleware: RouterMiddleware {
    typealias Context = DashboardRequestContext
    static let cookieName = "dashboard_token"

    let token: String

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/healthz" { return try await next(request, context) }
        if let header = request.headers[.authorization], matches(credential(fromAuthorization: header)) {
            return try await next(request, context)
        }
        if let cookie = request.cookies[Self.cookieName], matches(cookie.value) {
            return try await next(request, context)
        }
        let query = request.uri.queryParameters
        if let given = query.get("token") {
            guard matches(given) else { throw unauthorized() }
            let cookie = Cookie(name: Self.cookieName, value: token, path: "/", httpOnly: true, sameSite: .strict)
            let isPage = request.method == .get && !request.uri.path.hasPrefix("/api/")
                && request.uri.path != "/events" && request.uri.path != "/metrics"
            if isPage {
                let rest = query.filter { $0.key != "token" }
                    .map { "\(PageLayout.percentEncode(String($0.key)))=\(PageLayout.percentEncode(String($0.value)))" }
                var location = Self.sameOriginPath(request.uri.path)
                if !rest.isEmpty { location += "?" + rest.joined(separator: "&") }
                var response = Response(status: .seeOther, headers: [.location: location])
                response.setCookie(cookie)
                return response
            }
            var response = try await next(request, context)
            response.setCookie(cookie)
            return response
        }
        throw unauthorized()
    }

    /// `path` as a redirect target that can only stay on this origin. Browsers read a
    /// leading `//` (and `/\`, since they treat `\` as `/`) as the start of another host's
    /// address, and drop tabs and line breaks from addresses before reading them, so
    /// leading slashes, backslashes and whitespace collapse to one `/`, and any other
    /// backslash, whitespace or control character is percent-encoded.
    static func sameOriginPath(_ path: String) -> String {
        let rest = path.unicodeScalars.drop(while: { $0 == "/" || $0 == "\\" || $0.value <= 0x20 })
        var location = "/"
        for scalar in rest {
            if scalar == "\\" || scalar.value <= 0x20 || scalar.value == 0x7F {
                location += "%" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16, uppercase: true)
            } else {
                location.unicodeScalars.append(scalar)
            }
        }
        return location
    }

    private func unauthorized() -> HTTPError {
        HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Basic realm=\"dashboard\", charset=\"UTF-8\""],
                  message: "access token required: send it as a bearer token, as the basic-auth password, or once as ?token=")
    }

    private func credential(fromAuthorization header: String) -> String? {
        if header.lowercased().hasPrefix("bearer ") {
            return String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        }
        if header.lowercased().hasPrefix("basic "),
           let data = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
           let decoded = String(data: data, encoding: .utf8),
           let colon = decoded.firstIndex(of: ":") {
            return String(decoded[decoded.index(after: colon)...])
        }
        return nil
    }

    /// Compares in time independent of where the first difference is.
    private func matches(_ candidate: String?) -> Bool {
        guard let candidate else { return false }
        let a = Array(candidate.utf8), b = Array(token.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<b.count { difference |= b[i] ^ (i < a.count ? a[i] : 0) }
        return difference == 0
    }
}
