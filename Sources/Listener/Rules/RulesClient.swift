import Foundation
import Logging
import StreamRules

/// Synchronises the server's stream rules with the ones this listener wants:
/// list (all pages), validate the additions with `dry_run=true`, delete stale owned
/// rules, add the missing ones. Runs before the stream connects, so bad credentials end
/// the run here, before any stream request.
public struct RulesClient: Sendable {
    /// API base, e.g. `https://api.x.com`.
    public var apiBase: String
    /// The HTTP client carrying the token.
    public var http: HTTPClient
    /// Owner of the rules this listener manages.
    public var namespace: RuleNamespace
    /// Where progress is logged.
    public var logger: Logger

    /// Creates a client.
    public init(apiBase: String, http: HTTPClient, namespace: RuleNamespace, logger: Logger) {
        self.apiBase = apiBase.hasSuffix("/") ? String(apiBase.dropLast()) : apiBase
        self.http = http
        self.namespace = namespace
        self.logger = logger
    }

    var rulesURL: String { apiBase + "/2/tweets/search/stream/rules" }

    /// Lists every rule on the server.
    public func list() async throws -> [StreamRule] {
        var rules: [StreamRule] = []
        var token: String?
        repeat {
            var url = rulesURL + "?max_results=1000"
            if let token { url += "&pagination_token=" + (token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token) }
            let response = try await http.send(url: url)
            try Self.check(response, doing: "listing the stream rules")
            let page = try Self.decode(RulesPage.self, from: response.body, doing: "listing the stream rules")
            rules += (page.data ?? []).map { StreamRule(id: $0.id.value, value: $0.value, tag: $0.tag) }
            token = page.meta?.nextToken
        } while token != nil
        return rules
    }

    /// Brings the server in line with `desired`; returns the keyword resolver for decoding, whose
    /// own rules (the desired ones that `RuleMatcher` understands; the server is the judge
    /// of the rest) place a post that arrives without `matching_rules`.
    public func sync(desired: [DesiredRule]) async throws -> KeywordResolver {
        let current = try await list()
        let plan = RulesPlan(current: current, desired: desired, namespace: namespace)
        logger.info("stream rules", metadata: [
            "server": "\(current.count)", "delete": "\(plan.deletes.count)", "add": "\(plan.adds.count)",
            "adopted": "\(plan.adopted.count)",
        ])
        if !plan.adds.isEmpty {
            // Validate first, so an invalid rule changes nothing on the server.
            try await add(plan.adds, dryRun: true)
        }
        if !plan.deletes.isEmpty {
            let body = try JSONEncoder().encode(DeleteBody(delete: .init(ids: plan.deletes)))
            let response = try await http.send(url: rulesURL, jsonBody: String(decoding: body, as: UTF8.self))
            try Self.check(response, doing: "deleting stale stream rules")
        }
        var added: [StreamRule] = []
        if !plan.adds.isEmpty { added = try await add(plan.adds, dryRun: false) }
        let deleted = Set(plan.deletes)
        let serverRules = current.filter { !deleted.contains($0.id) } + added
        let (ownRules, _) = RuleMatcher.compilingValid(desired.map { TaggedRule(value: $0.value, tag: $0.keyword) })
        return KeywordResolver(serverRules: serverRules, adopted: plan.adopted, namespace: namespace, ownRules: ownRules)
    }

    @discardableResult
    private func add(_ rules: [StreamRule], dryRun: Bool) async throws -> [StreamRule] {
        let body = try JSONEncoder().encode(AddBody(add: rules.map { .init(value: $0.value, tag: $0.tag) }))
        let response = try await http.send(url: rulesURL + (dryRun ? "?dry_run=true" : ""),
                                           jsonBody: String(decoding: body, as: UTF8.self))
        let doing = dryRun ? "validating the stream rules" : "adding the stream rules"
        try Self.check(response, doing: doing)
        let result = try Self.decode(RulesPage.self, from: response.body, doing: doing)
        if let error = result.errors?.first {
            let culprit = error.value.map { " for rule \"\($0)\"" } ?? ""
            throw ListenerError.rules("the server rejected a rule\(culprit): \(error.title ?? error.detail ?? "invalid rule")")
        }
        return (result.data ?? []).map { StreamRule(id: $0.id.value, value: $0.value, tag: $0.tag) }
    }

    static func check(_ response: HTTPClient.Response, doing what: String) throws {
        switch response.head.status {
        case 200, 201:
            return
        case 401:
            throw ListenerError.fatal("the bearer token was rejected (HTTP 401) while \(what): check X_BEARER_TOKEN or --bearer-token-file")
        case 403:
            throw ListenerError.fatal("this app may not use the filtered stream (HTTP 403) while \(what): check its project and access level")
        case 429:
            let reset = response.head.rateLimitReset.map { " until \(Timestamp.format($0))" } ?? ""
            throw ListenerError.fatal("rate limited (HTTP 429) while \(what)\(reset): rule changes are limited to 100 per 15 minutes")
        default:
            let detail = (try? JSONDecoder().decode(ProblemBody.self, from: response.body))?.summary ?? ""
            throw ListenerError.rules("HTTP \(response.head.status) while \(what)\(detail.isEmpty ? "" : ": " + detail)")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from body: Data, doing what: String) throws -> T {
        do { return try JSONDecoder().decode(type, from: body) } catch {
            throw ListenerError.rules("unexpected response while \(what)")
        }
    }
}

private struct RulesPage: Decodable {
    struct Rule: Decodable { var id: FlexibleID; var value: String; var tag: String? }
    struct Meta: Decodable {
        var nextToken: String?
        enum CodingKeys: String, CodingKey { case nextToken = "next_token" }
    }
    struct RuleError: Decodable { var value: String?; var title: String?; var detail: String? }
    var data: [Rule]?
    var meta: Meta?
    var errors: [RuleError]?
}

private struct AddBody: Encodable {
    struct Rule: Encodable { var value: String; var tag: String? }
    var add: [Rule]
}

private struct DeleteBody: Encodable {
    struct IDs: Encodable { var ids: [String] }
    var delete: IDs
}

private struct ProblemBody: Decodable {
    var title: String?
    var detail: String?
    var errors: [ProblemBody]?
    var summary: String? { detail ?? title ?? errors?.first?.summary }
}

/// A rule id the API sends as a string, which some servers write as a number.
private struct FlexibleID: Decodable {
    var value: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            value = string
        } else {
            value = String(try container.decode(UInt64.self))
        }
    }
}
