import Foundation
import Hummingbird

/// Adds the security headers to every response (errors included) and mints the nonce
/// that lets exactly this response's inline script and stylesheet run. Errors become
/// responses here: pages for browsers (`ErrorPage`), JSON for the API; an error that is
/// not an HTTP error comes from the store, so it is a 503 naming only its category.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = DashboardRequestContext

    /// Names the category of a store failure ("MongoDB unreachable"), never its message.
    var storeFailureReason: @Sendable (any Error) -> String = { _ in "store unavailable" }

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let nonce = Self.makeNonce()
        context.cspNonce = nonce
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as HTTPError where ErrorPage.wantsPage(request) {
            response = ErrorPage.response(status: error.status, reason: error.body ?? error.status.reasonPhrase,
                                          nonce: nonce)
            response.headers.append(contentsOf: error.headers)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        } catch {
            // Never echo the error itself: it may carry hosts or credentials.
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            let reason = "the data store is unavailable (\(storeFailureReason(error))); try again shortly"
            if ErrorPage.wantsPage(request) {
                response = ErrorPage.response(status: .serviceUnavailable, reason: reason, nonce: nonce)
            } else {
                response = try HTTPError(.serviceUnavailable, message: reason).response(from: request, context: context)
            }
        }
        let csp = "default-src 'none'; script-src 'nonce-\(nonce)'; style-src 'nonce-\(nonce)'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        response.headers[.contentSecurityPolicy] = csp
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.init("Cross-Origin-Opener-Policy")!] = "same-origin"
        if response.headers[.cacheControl] == nil {
            response.headers[.cacheControl] = "no-store"
        }
        return response
    }

    /// 128 random bits, base64.
    static func makeNonce() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in bytes.indices { bytes[i] = generator.next() }
        return Data(bytes).base64EncodedString()
    }
}
