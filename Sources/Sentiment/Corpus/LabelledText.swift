import PipelineModel

/// One text with its gold label, from a ground-truth file or a JSONL training file.
public struct LabelledText: Sendable, Hashable {
    /// The item's id when the source has one.
    public var id: String?
    /// The text as it appears in the source.
    public var text: String
    /// The gold class.
    public var label: SentimentLabel
    /// The corpus the item comes from (JSONL `source`), when given.
    public var source: String?
    /// The text's language tag (JSONL `lang`, as X sends it), when given.
    public var lang: String?

    /// A labelled text.
    public init(id: String? = nil, text: String, label: SentimentLabel, source: String? = nil, lang: String? = nil) {
        self.id = id
        self.text = text
        self.label = label
        self.source = source
        self.lang = lang
    }
}
