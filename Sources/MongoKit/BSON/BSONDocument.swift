import CMongoc
import Foundation

/// An ordered BSON document: a value type owning a libbson `bson_t`, copied on write.
///
/// Build one from a literal (`["status": "new", "n": 1]`), from a `Codable` value with
/// ``BSONEncoder``, or receive it from a query. Keys keep their insertion order, which
/// matters for sort specifications and compound index keys.
public struct BSONDocument: Sendable {
    // Sendable invariant: `storage` is only mutated while uniquely referenced (copy on
    // write), so a storage shared between values, tasks or threads is never written.
    var storage: BSONStorage

    /// An empty document.
    public init() {
        storage = BSONStorage(owning: bson_new())
    }

    /// Takes ownership of a heap `bson_t` (it is destroyed with the document).
    init(owning pointer: OpaquePointer) {
        storage = BSONStorage(owning: pointer)
    }

    /// Copies a borrowed `bson_t` (e.g. one a cursor owns until its next call).
    init(copying pointer: OpaquePointer) {
        storage = BSONStorage(owning: bson_copy(pointer))
    }

    /// Parses BSON bytes; throws if they are not a well-formed document.
    public init(bytes: Data) throws {
        let pointer: OpaquePointer? = bytes.withUnsafeBytes { raw in
            guard let base = raw.bindMemory(to: UInt8.self).baseAddress else { return nil }
            return bson_new_from_data(base, raw.count)
        }
        guard let pointer, bson_validate(pointer, BSON_VALIDATE_NONE, nil) else {
            throw MongoError.invalidArgument("bytes are not a valid BSON document")
        }
        self.init(owning: pointer)
    }

    /// Parses MongoDB extended JSON (canonical or relaxed). Meant for tests and tools,
    /// not hot paths.
    public init(json: String) throws {
        var error = bson_error_t()
        let pointer: OpaquePointer? = json.utf8CString.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: buffer.count) {
                bson_new_from_json($0, buffer.count - 1, &error)
            }
        }
        guard let pointer else {
            throw MongoError.invalidArgument("invalid extended JSON: \(error.messageString)")
        }
        self.init(owning: pointer)
    }

    /// The raw `bson_t`, for reading only.
    var pointer: OpaquePointer { storage.pointer }

    /// The `bson_t` for writing, copied first if shared.
    var mutablePointer: OpaquePointer {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) {
                storage = BSONStorage(owning: bson_copy(storage.pointer))
            }
            return storage.pointer
        }
    }

    /// The document's BSON bytes.
    public var bytes: Data {
        Data(bytes: bson_get_data(pointer), count: byteCount)
    }

    /// Size of the encoded document in bytes.
    public var byteCount: Int {
        // The first four bytes of a BSON document are its little-endian length.
        let data = bson_get_data(pointer)!
        return Int(UInt32(data[0]) | UInt32(data[1]) << 8 | UInt32(data[2]) << 16 | UInt32(data[3]) << 24)
    }

    /// Number of top-level fields.
    public var count: Int { Int(bson_count_keys(pointer)) }

    /// True when the document has no fields.
    public var isEmpty: Bool { byteCount <= 5 }

    /// Relaxed extended JSON, for logs and debugging.
    public var relaxedJSON: String {
        var length = 0
        guard let text = bson_as_relaxed_extended_json(pointer, &length) else { return "{}" }
        defer { bson_free(text) }
        return String(cString: text)
    }

    /// The value of the first field named `key`, if any.
    public subscript(key: String) -> BSONValue? {
        let iterator = BSONIterator()
        guard iterator.initFind(in: pointer, key: key) else { return nil }
        return try? iterator.value()
    }

    /// Field names in order.
    public var keys: [String] { map(\.key) }

    /// Appends a field (duplicates are not checked, as in libbson).
    public mutating func append(_ key: String, _ value: BSONValue) {
        value.append(to: mutablePointer, key: key)
    }
}

extension BSONDocument: Sequence {
    /// Iterates `(key, value)` pairs in document order.
    public func makeIterator() -> AnyIterator<(key: String, value: BSONValue)> {
        let iterator = BSONIterator()
        let document = self  // keeps the storage alive while iterating
        iterator.initialize(document.pointer)
        return AnyIterator {
            withExtendedLifetime(document) {
                guard iterator.next(), let value = try? iterator.value() else { return nil }
                return (iterator.key, value)
            }
        }
    }
}

extension BSONDocument: Equatable {
    /// Byte-wise equality (field order matters, as on the server).
    public static func == (lhs: BSONDocument, rhs: BSONDocument) -> Bool {
        bson_equal(lhs.pointer, rhs.pointer)
    }
}

extension BSONDocument: ExpressibleByDictionaryLiteral {
    /// Builds a document keeping the literal's field order.
    public init(dictionaryLiteral elements: (String, BSONValue)...) {
        self.init()
        let target = pointer
        for (key, value) in elements { value.append(to: target, key: key) }
    }
}

extension BSONDocument: CustomStringConvertible {
    /// Relaxed extended JSON.
    public var description: String { relaxedJSON }
}

/// Owns one heap `bson_t`.
final class BSONStorage: @unchecked Sendable {
    // Invariant: see BSONDocument — written only while uniquely referenced.
    let pointer: OpaquePointer

    init(owning pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit { bson_destroy(pointer) }
}

extension bson_error_t {
    /// The fixed-size C message array as a String.
    var messageString: String {
        withUnsafeBytes(of: message) { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            let end = bytes.firstIndex(of: 0) ?? bytes.count
            return String(decoding: bytes[..<end], as: UTF8.self)
        }
    }
}

extension BSONDocument {
    /// Runs `body` with an out-parameter `bson_t` that libmongoc initialises (a reply),
    /// and returns `body`'s result with a copy of that document.
    ///
    /// libmongoc `bson_init`s reply parameters itself; handing it a `bson_new()` heap
    /// document would leak, so the reply lives in a temporary aligned buffer.
    static func receiving<R>(_ body: (OpaquePointer) -> R) -> (R, BSONDocument) {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 128, alignment: 128)
        defer { buffer.deallocate() }
        let reply = OpaquePointer(buffer)
        bson_init(reply)
        let result = body(reply)
        defer { bson_destroy(reply) }
        return (result, BSONDocument(copying: reply))
    }
}
