import Foundation
import HTTPServing
import Hummingbird
import Logging

/// Builds the simulator's HTTP application: the X API v2 filtered-stream endpoints and
/// `GET /sim/stats`, serving `feed`.
///
/// `onListening` receives the bound port (useful with port 0). Tests run the returned
/// application in-process and talk to it over loopback. `limits` bound idle and
/// half-sent connections; an open stream is a request in progress and never cut.
public func buildApplication(
    configuration: StreamSimConfiguration,
    feed: StreamFeed,
    logger: Logger = Logger(label: "stream-sim"),
    limits: ConnectionLimits = ConnectionLimits(),
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = Router()
    let json: HTTPFields = [.contentType: "application/json; charset=utf-8"]

    @Sendable func respond(_ status: Int, _ body: [UInt8], headers: [(String, String)] = []) -> Response {
        var fields = json
        for (name, value) in headers {
            if let name = HTTPFields.Element.Name(name) { fields[name] = value }
        }
        return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    router.get("/2/tweets/search/stream") { request, _ -> Response in
        let query = request.uri.queryParameters
        let streamRequest = StreamFeed.StreamRequest(
            authorization: request.headers[.authorization],
            query: request.uri.query ?? "",
            backfillMinutes: query["backfill_minutes"].map(String.init),
            acceptsGzip: request.headers[.acceptEncoding]?.lowercased().contains("gzip") ?? false)
        switch await feed.openStream(streamRequest) {
        case .refused(let status, let headers, let body):
            logger.info("stream refused", metadata: ["status": "\(status)"])
            return respond(status, body, headers: headers)
        case .accepted(let ticket):
            logger.info("stream connected", metadata: ["connection": "\(ticket.number)", "gzip": "\(ticket.gzip)"])
            var headers = json
            if ticket.gzip { headers[.contentEncoding] = "gzip" }
            let session = StreamSession(feed: feed, ticket: ticket, configuration: configuration, logger: logger)
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                try await session.run(&writer)
                try await writer.finish(nil)
            })
        }
    }

    router.get("/2/tweets/search/stream/rules") { request, _ -> Response in
        guard configuration.accepts(authorization: request.headers[.authorization]) else {
            return respond(401, APIProblem.unauthorized())
        }
        let query = request.uri.queryParameters
        let ids = query["ids"].map { $0.split(separator: ",").map(String.init) }
        let maxResults = query["max_results"].flatMap { Int($0) } ?? 1000
        guard (1...1000).contains(maxResults) else {
            return respond(400, APIProblem.invalidRequest("The `max_results` query parameter value [\(maxResults)] is not between 1 and 1000"))
        }
        let body = await feed.listRules(ids: ids, maxResults: maxResults,
                                        paginationToken: query["pagination_token"].map(String.init))
        return respond(200, body)
    }

    router.post("/2/tweets/search/stream/rules") { request, _ -> Response in
        guard configuration.accepts(authorization: request.headers[.authorization]) else {
            return respond(401, APIProblem.unauthorized())
        }
        let dryRun = request.uri.queryParameters["dry_run"] == "true"
        let buffer = try await request.body.collect(upTo: 4 << 20)
        let decoded = try? JSONDecoder().decode(RulesAPI.WriteRequest.self, from: Data(buffer.readableBytesView))
        switch (decoded?.add, decoded?.delete) {
        case (let add?, nil):
            guard !add.isEmpty else {
                await feed.countRuleRequest()
                return respond(400, APIProblem.invalidRequest("`add` must contain at least one rule"))
            }
            let additions = add.map { RuleBook.Addition(value: $0.value, tag: $0.tag) }
            return respond(200, await feed.addRules(additions, dryRun: dryRun))
        case (nil, let delete?):
            let ids = delete.ids ?? []
            let values = delete.values ?? []
            guard !ids.isEmpty || !values.isEmpty else {
                await feed.countRuleRequest()
                return respond(400, APIProblem.invalidRequest("`delete` must list `ids` or `values`"))
            }
            return respond(200, await feed.deleteRules(ids: ids, values: values, dryRun: dryRun))
        default:
            await feed.countRuleRequest()
            return respond(400, APIProblem.invalidRequest(
                "The request body must be a JSON object with exactly one of `add` or `delete`"))
        }
    }

    router.get("/sim/stats") { _, _ -> Response in
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(await feed.stats())) ?? Data()
        return respond(200, Array(body))
    }

    return Application(
        router: router,
        server: limits.server(logger: logger),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port),
                             serverName: "stream-sim"),
        onServerRunning: { channel in
            await onListening(channel.localAddress?.port ?? configuration.port)
        },
        logger: logger)
}
