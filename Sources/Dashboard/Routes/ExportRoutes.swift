import Foundation
import Hummingbird
import NIOCore
import PipelineModel
import Storage

/// `GET /api/keywords/{keyword}/posts.csv` and `…/series.csv`: downloads for spreadsheets.
///
/// The posts file is written page by page through the store's cursor query, each page
/// sent as one chunk before the next is read, so an export of millions of posts holds
/// one page in memory, and a slow client slows the reads instead of filling a buffer.
struct ExportRoutes {
    let data: DashboardData
    /// Posts read (and sent) per chunk.
    static let pageSize = 2000

    /// The posts file's columns.
    static let postColumns = ["id", "created_at", "keyword", "author", "lang", "label", "compound", "text"]
    /// The series file's columns.
    static let seriesColumns = ["start", "count", "positive", "neutral", "negative", "unscored", "mean_compound"]

    func register(on router: Router<DashboardRequestContext>) {
        router.get("api/keywords/{keyword}/posts.csv") { request, context in
            let summary = try await context.knownKeyword(in: data, request)
            // `limit` caps the rows (all by default); pages are `pageSize` whatever it is.
            let start = try QueryParameters(request).postQuery(summary, data: data, limits: 1...Int.max,
                                                               defaultLimit: Int.max)
            let store = data.store
            return Self.csv(filename: summary.keyword + "-posts.csv") { writer in
                try await writer.write(ByteBuffer(string: CSVRow(header: Self.postColumns).line))
                var query = start
                var remaining = start.limit
                while remaining > 0 {
                    query.limit = min(Self.pageSize, remaining)
                    let page = try await store.posts(query)
                    var chunk = ""
                    for post in page.posts { chunk += Self.row(post, keyword: summary.keyword).line }
                    try await writer.write(ByteBuffer(string: chunk))
                    remaining -= page.posts.count
                    guard let next = page.next else { break }
                    query.after = next
                }
            }
        }
        router.get("api/keywords/{keyword}/series.csv") { request, context in
            let rangeRequest = try QueryParameters(request).rangeRequest()
            let summary = try await context.knownKeyword(in: data, request)
            let window = data.window(for: rangeRequest, latest: summary.lastSeen)
            let buckets = try await data.series(summary.keyword, window: window)
            return Self.csv(filename: summary.keyword + "-series.csv") { writer in
                try await writer.write(ByteBuffer(string: CSVRow(header: Self.seriesColumns).line))
                // Bounded by the window's buckets (at most 92 days of hours): sent in a few chunks.
                for slice in stride(from: 0, to: buckets.count, by: 500) {
                    let chunk = buckets[slice..<min(buckets.count, slice + 500)].map { Self.row($0).line }.joined()
                    try await writer.write(ByteBuffer(string: chunk))
                }
            }
        }
    }

    /// The CSV row of a post listed under `keyword`.
    static func row(_ post: ScoredPost, keyword: String) -> CSVRow {
        CSVRow([
            .text(post.id), .number(TimeFormat.iso8601Milliseconds(post.post.timestamp)), .text(keyword),
            .text(post.post.authorUsername ?? ""), .text(post.post.lang ?? ""),
            .number(post.sentiment.label.rawValue), .number(String(format: "%.4f", post.sentiment.compound)),
            .text(post.post.text),
        ])
    }

    /// The CSV row of a bucket.
    static func row(_ bucket: KeywordAggregate) -> CSVRow {
        CSVRow([
            .number(TimeFormat.iso8601(bucket.bucketStart)), .number(String(bucket.count)),
            .number(String(bucket.positive)), .number(String(bucket.neutral)), .number(String(bucket.negative)),
            .number(String(bucket.unscored)), .number(bucket.meanCompound.map { String(format: "%.4f", $0) } ?? ""),
        ])
    }

    /// A streamed `text/csv` download named `filename` (reduced to safe characters).
    static func csv(filename: String,
                    _ write: @escaping @Sendable (inout any ResponseBodyWriter) async throws -> Void) -> Response {
        let safe = String(filename.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) ? $0 : "_" })
        let headers: HTTPFields = [.contentType: "text/csv; charset=utf-8",
                                   .contentDisposition: "attachment; filename=\"\(safe)\"",
                                   .cacheControl: "no-store"]
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await write(&writer)
            try await writer.finish(nil)
        })
    }
}
