import Foundation
import Hummingbird
import PipelineCore
import Prometheus

/// `/healthz`, `/metrics`, and (behind a flag) the test-only `POST /test/posts`.
struct OperationsRoutes {
    let store: any SentimentStore
    let registry: PrometheusCollectorRegistry
    let enableTestEndpoints: Bool

    func register(on router: Router<DashboardRequestContext>) {
        router.get("healthz") { _, context in
            do {
                try await store.ping()
                return Self.text("ok\n")
            } catch {
                // The reason goes to the log only: it may name hosts or credentials.
                context.logger.warning("health check failed", metadata: ["error": "\(error)"])
                return Self.text("store unavailable\n", status: .serviceUnavailable)
            }
        }
        router.get("metrics") { _, _ in
            var buffer: [UInt8] = []
            buffer.reserveCapacity(4096)
            registry.emit(into: &buffer)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        if enableTestEndpoints {
            router.post("test/posts") { request, context in
                let body = try await request.body.collect(upTo: 4 << 20)
                let decoder = JSONDecoder()
                decoder.dateDecodingStrategy = .iso8601
                let posts: [ScoredPost]
                do {
                    posts = try decoder.decode([ScoredPost].self, from: Data(buffer: body))
                } catch {
                    throw HTTPError(.badRequest, message: "body must be a JSON array of scored posts")
                }
                let outcome = try await store.record(posts)
                return Self.text("inserted \(outcome.inserted) duplicates \(outcome.duplicates)\n")
            }
        }
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
