import CMongoc
import Foundation

/// A document or array being written. Children are written in place inside their
/// parent's buffer (`bson_append_*_begin`), so a parent must not be written to while
/// a child is open: any write to a node first closes its open child, and writing to a
/// closed node throws.
final class BSONWriteNode {
    let bson: OpaquePointer
    let isArray: Bool
    private let buffer: BSONChildBuffer?
    private unowned(unsafe) let parent: BSONWriteNode?
    private(set) var isOpen = true
    private var nextIndex = 0
    private var openChild: BSONWriteNode?

    init(root: OpaquePointer) {
        bson = root
        isArray = false
        buffer = nil
        parent = nil
    }

    private init(parent: BSONWriteNode?, isArray: Bool, open: Bool) {
        let buffer = BSONChildBuffer()
        self.buffer = buffer
        bson = buffer.pointer
        self.isArray = isArray
        self.parent = parent
        isOpen = open
    }

    private func prepare() throws {
        guard isOpen else {
            throw EncodingError.invalidValue(
                Optional<Int>.none as Any,
                EncodingError.Context(codingPath: [], debugDescription:
                    "BSON container written after its parent moved on (containers must be filled in order)"))
        }
        closeOpenChild()
    }

    func closeOpenChild() {
        openChild?.end()
    }

    @inline(__always)
    private func withKey<R>(_ key: String?, _ body: (UnsafePointer<CChar>, Int32) -> R) -> R {
        guard let key else {
            let index = nextIndex
            nextIndex += 1
            return withArrayKey(index, body)
        }
        return withCKey(key, body)
    }

    /// Appends one value under `key` (nil: the next array index).
    func append(_ value: BSONValue, key: String?) throws {
        try prepare()
        withKey(key) { value.append(to: bson, key: $0, length: $1) }
    }

    /// Starts an embedded document or array under `key`; it stays open until ended or
    /// until this node is written to again. Never throws: a child of a closed node is
    /// created closed, so that writing to it reports the misuse.
    func beginChild(key: String?, isArray: Bool) -> BSONWriteNode {
        guard (try? prepare()) != nil else {
            return BSONWriteNode(parent: self, isArray: isArray, open: false)
        }
        let child = BSONWriteNode(parent: self, isArray: isArray, open: true)
        withKey(key) {
            if isArray {
                _ = bson_append_array_begin(bson, $0, $1, child.bson)
            } else {
                _ = bson_append_document_begin(bson, $0, $1, child.bson)
            }
        }
        openChild = child
        return child
    }

    /// A closed node that rejects every write (reports container misuse on first use).
    static func closed(isArray: Bool) -> BSONWriteNode {
        BSONWriteNode(parent: nil, isArray: isArray, open: false)
    }

    /// Finishes this child inside its parent.
    func end() {
        guard isOpen, let parent else { return }
        closeOpenChild()
        isOpen = false
        if isArray {
            bson_append_array_end(parent.bson, bson)
        } else {
            bson_append_document_end(parent.bson, bson)
        }
        parent.openChild = nil
    }
}
