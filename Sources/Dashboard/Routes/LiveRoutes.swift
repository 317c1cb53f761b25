import Foundation
import Hummingbird
import ServiceLifecycle

/// `GET /events`: Server-Sent Events telling a page that its keyword changed.
struct LiveRoutes {
    let broadcaster: ChangeBroadcaster

    func register(on router: Router<DashboardRequestContext>) {
        router.get("events") { request, _ in
            let query = QueryParameters(request)
            let keyword = try query.keyword()
            // Ends the stream after this many change events (for scripts and tests).
            let limit = try query.integer("limit", in: 1...1_000_000, default: Int.max)
            let headers: HTTPFields = [.contentType: "text/event-stream; charset=utf-8",
                                       .cacheControl: "no-cache", .init("X-Accel-Buffering")!: "no"]
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                let (id, events) = broadcaster.add(keyword: keyword)
                defer { broadcaster.remove(id) }
                // Opening comment: browsers fire `open` as soon as bytes arrive.
                try await writer.write(ByteBuffer(string: "retry: 3000\n: connected\n\n"))
                var sent = 0
                try await withGracefulShutdownHandler {
                    for await event in events {
                        try await writer.write(ByteBuffer(string: event.serverSentEvent))
                        if case .change = event {
                            sent += 1
                            if sent >= limit { break }
                        }
                    }
                } onGracefulShutdown: {
                    broadcaster.remove(id)
                }
                try await writer.finish(nil)
            })
        }
    }
}
