import Foundation
import Synchronization
import Hummingbird
import HTTPServing
import PipelineModel
import Storage
import Prometheus

/// `/healthz`, `/metrics`, and (behind a flag) the test-only `POST /test/posts`.
struct OperationsRoutes {
    let store: any SentimentStore
    let registry: PrometheusCollectorRegistry
    let enableTestEndpoints: Bool
    let healthTimeout: Duration
    let failureReason: @Sendable (any Error) -> String

    func register(on router: Router<DashboardRequestContext>) {
        router.get("healthz") { _, context in
            do {
                try await pingWithin(healthTimeout)
                return Self.text("ok\n")
            } catch let timeout as HealthTimeout {
                context.logger.warning("health check timed out", metadata: ["timeout": "\(timeout.text)"])
                return Self.text("store unavailable: no answer within \(timeout.text)\n", status: .serviceUnavailable)
            } catch {
                // The full error goes to the log only: it may name hosts or credentials;
                // the response names the category.
                context.logger.warning("health check failed", metadata: ["error": "\(error)"])
                let reason = failureReason(error).split(whereSeparator: \.isNewline).first.map(String.init)
                return Self.text("\(reason ?? "store unavailable")\n", status: .serviceUnavailable)
            }
        }
        router.get("metrics") { _, _ in MetricsEndpoint.metricsResponse(registry) }
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

    private struct HealthTimeout: Error {
        var limit: Duration
        var text: String {
            let seconds = limit.inSeconds
            return String(format: "%g s", seconds)
        }
    }

    /// The store's ping, or `HealthTimeout` after `limit`. Not a task group: that would
    /// wait for a driver call that ignores cancellation; the ping is left to finish on its own.
    private func pingWithin(_ limit: Duration) async throws {
        let pending = PendingPing()
        let store = store
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            pending.continuation.withLock { $0 = continuation }
            let timer = Task {
                try await Task.sleep(for: limit)
                pending.continuation.withLock { $0.take() }?.resume(throwing: HealthTimeout(limit: limit))
            }
            Task {
                let result: Result<Void, any Error>
                do { result = .success(try await store.ping()) } catch { result = .failure(error) }
                timer.cancel()
                pending.continuation.withLock { $0.take() }?.resume(with: result)
            }
        }
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// The continuation a health check waits on, resumed once by whichever of the ping and
/// the timer finishes first.
private final class PendingPing: Sendable {
    let continuation = Mutex<CheckedContinuation<Void, any Error>?>(nil)
}
