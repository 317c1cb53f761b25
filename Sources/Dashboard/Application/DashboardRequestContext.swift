import Hummingbird

/// Request context of the dashboard: Hummingbird's core storage plus the CSP nonce that
/// `SecurityHeadersMiddleware` minted for this response.
public struct DashboardRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// Nonce for this response's inline `<script>` and `<style>`.
    public var cspNonce: String

    /// A context for a new request.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.cspNonce = ""
    }
}
