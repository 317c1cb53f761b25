import Listener

/// `StreamMessage.decode`, the fast scanner with its Foundation fallback, on one stream
/// line. Invariants: only `MalformedMessage` is thrown, and both entry points (array and
/// raw buffer) agree, run after run.
public struct StreamMessageHarness: FuzzHarness {
    public let name = "stream-message"
    public let seeds: [[UInt8]] = [
        #"{"data":{"id":"1","text":"I love #swift 😀 caf\u00e9 \"q\" &amp;","author_id":"7","created_at":"2026-11-29T12:00:00.000Z","lang":"en"},"includes":{"users":[{"id":"7","username":"alice"}]},"matching_rules":[{"id":"9","tag":"swift"}]}"#,
        #"{"errors":[{"title":"operational-disconnect","disconnect_type":"OperationalDisconnect","detail":"x","type":"https://api.x.com/2/problems/operational-disconnect"}]}"#,
        #"{"data":{"id":"2","text":"x"} ,  "weird spacing":true, "matching_rules":[]}"#,
        #"{"data":[{"id":"3","text":"a"},{"id":"4","text":"\ud83d\ude00"}]}"#,
        #"{}"#, #"[1,2,{"a":null}]"#,
    ].map { Array($0.utf8) }

    /// A harness.
    public init() {}

    public mutating func check(_ input: [UInt8]) async throws {
        let fromArray = Result { () throws(MalformedMessage) in try StreamMessage.decode(input) }
        let fromBuffer = input.withUnsafeBytes { raw in
            Result { () throws(MalformedMessage) in try StreamMessage.decode(raw) }
        }
        try invariant(fromArray == fromBuffer, "decode([UInt8]) and decode(UnsafeRawBufferPointer) disagree")
    }
}
