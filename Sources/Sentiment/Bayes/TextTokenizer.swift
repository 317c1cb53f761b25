/// Splits text into the tokens Naive Bayes features are built from.
///
/// The identifier is saved in every model so a model is never applied with a different
/// tokenizer than it was trained with. Any tokenizer (for instance the social-text
/// tokenizer of the lexicon engine) can be plugged in by conforming or through
/// `ClosureTokenizer`.
public protocol TextTokenizer: Sendable {
    /// A stable name and version, e.g. `words-v1`.
    var identifier: String { get }
    /// The tokens of `text`, in order.
    func tokens(_ text: String) -> [String]
    /// Calls `body` with the UTF-8 bytes of each token in order; the bytes are only
    /// valid during the call. Tokenizers that can avoid allocating a `String` per token
    /// implement this directly; the default goes through `tokens(_:)`.
    func forEachToken(in text: String, _ body: (UnsafeRawBufferPointer) -> Void)
}

extension TextTokenizer {
    /// Default: materialises `tokens(_:)` and hands out their bytes.
    public func forEachToken(in text: String, _ body: (UnsafeRawBufferPointer) -> Void) {
        for token in tokens(text) {
            var token = token
            token.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        }
    }
}

/// A tokenizer from a closure, for tokenizers defined elsewhere.
public struct ClosureTokenizer: TextTokenizer {
    /// Saved in models trained with this tokenizer.
    public let identifier: String
    private let split: @Sendable (String) -> [String]

    /// Wraps `split` under a stable `identifier`.
    public init(identifier: String, _ split: @escaping @Sendable (String) -> [String]) {
        self.identifier = identifier
        self.split = split
    }

    /// The closure's tokens.
    public func tokens(_ text: String) -> [String] { split(text) }
}
