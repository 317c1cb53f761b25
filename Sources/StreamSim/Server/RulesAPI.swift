import Foundation

/// Request and response bodies of `/2/tweets/search/stream/rules`, shaped as the API's.
enum RulesAPI {
    struct WriteRequest: Decodable {
        struct Add: Decodable {
            var value: String
            var tag: String?
        }

        struct Delete: Decodable {
            var ids: [String]?
            var values: [String]?
        }

        var add: [Add]?
        var delete: Delete?
    }

    struct ListResponse: Encodable {
        struct Meta: Encodable {
            var sent: String
            var resultCount: Int
            var nextToken: String?
        }

        var data: [RuleEntry]?
        var meta: Meta
    }

    struct WriteResponse: Encodable {
        struct Summary: Encodable {
            var created: Int?
            var notCreated: Int?
            var valid: Int?
            var invalid: Int?
            var deleted: Int?
            var notDeleted: Int?
        }

        struct Meta: Encodable {
            var sent: String
            var summary: Summary
        }

        struct Problem: Encodable {
            var value: String?
            var id: String?
            var details: [String]?
            var title: String
            var type: String
        }

        var data: [RuleEntry]?
        var meta: Meta
        var errors: [Problem]?
    }

    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(value)) ?? Data())
    }

    /// `meta.sent`: ISO 8601 with milliseconds, UTC.
    static func timestamp(_ date: Date = .now) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
