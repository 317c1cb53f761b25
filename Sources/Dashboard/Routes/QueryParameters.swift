import Foundation
import Hummingbird
import PipelineModel
import Storage

/// Validation of the query parameters and path segments the routes accept; anything else
/// becomes a 400 with a one-line reason.
struct QueryParameters {
    let values: Parameters

    init(_ request: Request) { values = request.uri.queryParameters }

    /// `range`, default `1h`.
    func range() throws -> TimeRange {
        guard let raw = values.get("range") else { return .hour }
        guard let range = TimeRange(rawValue: raw) else {
            throw Self.bad("range must be one of \(TimeRange.accepted)")
        }
        return range
    }

    /// `end` (or its alias `at`): an ISO 8601 instant that anchors the window.
    func end() throws -> Date? {
        if values.get("end") != nil && values.get("at") != nil {
            throw Self.bad("give either end or at, not both")
        }
        guard let raw = values.get("end") ?? values.get("at") else { return nil }
        guard let date = Self.parseInstant(raw) else {
            throw Self.bad("end must be an ISO 8601 instant such as 2026-11-29T14:05:00Z")
        }
        return date
    }

    /// The range asked for: `from` and `to` (both, ISO 8601, `from` before `to`, at most
    /// `RangeRequest.longest` apart) or the preset `range` with its optional `end`; nil
    /// when none of them is given.
    func rangeRequestIfGiven() throws -> RangeRequest? {
        let from = values.get("from"), to = values.get("to")
        guard from != nil || to != nil else {
            guard values.get("range") != nil || values.get("end") != nil || values.get("at") != nil else { return nil }
            return .preset(try range(), end: try end())
        }
        if values.get("range") != nil { throw Self.bad("give either range or from and to, not both") }
        if values.get("end") != nil || values.get("at") != nil { throw Self.bad("give either end or from and to, not both") }
        guard let from, let to else { throw Self.bad("give both from and to") }
        guard let start = Self.parseInstant(from) else {
            throw Self.bad("from must be an ISO 8601 instant such as 2026-11-29T14:05:00Z")
        }
        guard let end = Self.parseInstant(to) else {
            throw Self.bad("to must be an ISO 8601 instant such as 2026-11-29T15:05:00Z")
        }
        guard start < end else { throw Self.bad("from must be before to") }
        guard end.timeIntervalSince(start) <= RangeRequest.longest else {
            throw Self.bad("from and to may be at most \(Int(RangeRequest.longest / 86_400)) days apart")
        }
        return .between(DateInterval(start: start, end: end))
    }

    /// `rangeRequestIfGiven`, the last hour when none is given.
    func rangeRequest() throws -> RangeRequest {
        try rangeRequestIfGiven() ?? .preset(.hour, end: nil)
    }

    /// `label`: one of the four labels, or nil when absent or empty.
    func label() throws -> SentimentLabel? {
        guard let raw = values.get("label"), !raw.isEmpty else { return nil }
        guard let label = SentimentLabel(rawValue: raw) else {
            throw Self.bad("label must be one of positive, neutral, negative, unscored")
        }
        return label
    }

    /// `q`: the word search, nil when absent or without words; at most 200 characters.
    func search() throws -> PostSearch? {
        guard let raw = values.get("q") else { return nil }
        guard raw.count <= 200 else { throw Self.bad("q must be at most 200 characters") }
        return PostSearch(raw)
    }

    /// `cursor`: a `next` value this server gave.
    func cursor() throws -> PostCursor? {
        guard let raw = values.get("cursor"), !raw.isEmpty else { return nil }
        guard let cursor = PostCursor(encoded: raw) else { throw Self.bad("cursor is not one this server gave") }
        return cursor
    }

    /// `keywords`: comma-separated and/or repeated (checkboxes repeat it), 1 to `limit`
    /// distinct keywords in the order given.
    func keywordList(limit: Int) throws -> [String] {
        var seen = Set<String>()
        var keywords: [String] = []
        for raw in values.getAll("keywords") {
            for part in raw.split(separator: ",") {
                let keyword = try Self.validKeyword(part.trimmingCharacters(in: .whitespaces))
                if seen.insert(keyword).inserted { keywords.append(keyword) }
            }
        }
        guard !keywords.isEmpty else { throw Self.bad("keywords must name at least one keyword, comma-separated") }
        guard keywords.count <= limit else { throw Self.bad("keywords may name at most \(limit) keywords") }
        return keywords
    }

    /// An integer in `bounds`, or `fallback` when absent.
    func integer(_ name: String, in bounds: ClosedRange<Int>, default fallback: Int) throws -> Int {
        guard let raw = values.get(name) else { return fallback }
        guard let value = Int(raw), bounds.contains(value) else {
            throw Self.bad("\(name) must be an integer from \(bounds.lowerBound) to \(bounds.upperBound)")
        }
        return value
    }

    /// An optional keyword filter.
    func keyword() throws -> String? {
        guard let raw = values.get("keyword") else { return nil }
        return try Self.validKeyword(raw)
    }

    /// A keyword from the path or query: 1–128 characters, no control characters.
    static func validKeyword(_ raw: String) throws -> String {
        guard !raw.isEmpty, raw.count <= 128,
              !raw.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw bad("keyword must be 1 to 128 characters without control characters")
        }
        return raw
    }

    static func bad(_ reason: String) -> HTTPError { HTTPError(.badRequest, message: reason) }

    /// Accepts `2026-11-29T14:05:00Z`, with fractional seconds, or with an offset; and a
    /// browser's `datetime-local` value (`2026-11-29T14:05`), read as UTC like every time
    /// on the pages.
    static func parseInstant(_ raw: String) -> Date? {
        guard raw.count <= 40 else { return nil }
        if raw.count == 16, raw.utf8.dropFirst(10).first == UInt8(ascii: "T") {
            return parseInstant(raw + ":00Z")
        }
        if let date = try? Date(raw, strategy: .iso8601) { return date }
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return try? fractional.parse(raw)
    }
}
