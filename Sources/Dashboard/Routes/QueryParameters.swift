import Foundation
import Hummingbird

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

    /// Accepts `2026-11-29T14:05:00Z`, with fractional seconds, or with an offset.
    static func parseInstant(_ raw: String) -> Date? {
        guard raw.count <= 40 else { return nil }
        if let date = try? Date(raw, strategy: .iso8601) { return date }
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return try? fractional.parse(raw)
    }
}
