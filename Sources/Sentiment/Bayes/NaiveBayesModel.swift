import PipelineModel
import NDArray

/// A trained Naive Bayes text classifier: the vocabulary, the fitted counts, and the
/// tokenizer and settings it was trained with. `ModelFile` saves and loads it.
public struct NaiveBayesModel: Sendable, Equatable {
    /// `identifier` of the tokenizer the vocabulary was built with.
    public let tokenizerIdentifier: String
    /// The minimum term count used to build the vocabulary.
    public let minCount: Int
    /// Unigram and bigram features.
    public let vocabulary: Vocabulary
    /// The fitted classifier over `vocabulary`'s columns.
    public let classifier: MultinomialNaiveBayes
    /// Whether a feature counts once per text however often it occurs (presence, as
    /// scikit-learn's `CountVectorizer(binary=True)`), in training and in prediction.
    /// Short texts rarely repeat a feature; when they do (`"no no no"`), presence keeps one
    /// word from outvoting the rest.
    public let binary: Bool

    /// A model from its parts; the classifier must have one row per vocabulary term.
    public init(tokenizerIdentifier: String, minCount: Int, vocabulary: Vocabulary,
                classifier: MultinomialNaiveBayes, binary: Bool = false) throws {
        guard classifier.featureCount == vocabulary.count else {
            throw BayesError.countsShape(classifier.featureCounts.shape)
        }
        self.tokenizerIdentifier = tokenizerIdentifier
        self.minCount = minCount
        self.vocabulary = vocabulary
        self.classifier = classifier
        self.binary = binary
    }

    /// Builds the vocabulary of `texts` and fits the classifier to their labels, counting
    /// each term's occurrences per class in the same pass (no document-term matrix). With
    /// `binary`, the vocabulary is the same (terms seen `minCount` times) and the classifier
    /// is fitted to presence counts, from a second pass.
    public static func train(texts: [String], labels: [SentimentLabel], tokenizer: some TextTokenizer,
                             alpha: Double = 1, minCount: Int = 1, binary: Bool = false) throws -> NaiveBayesModel {
        guard texts.count == labels.count else { throw BayesError.labelCount(texts.count, labels.count) }
        guard !texts.isEmpty else { throw BayesError.noDocuments }
        let builder = VocabularyBuilder(tokenizer: tokenizer, minCount: minCount)
        var (vocabulary, counts, documents) = builder.countByClass(texts, labels: labels)
        if binary { counts = vocabulary.presenceByClass(texts, labels: labels, tokenizer: tokenizer) }
        let classifier = try MultinomialNaiveBayes(
            featureCounts: NDArray(shape: [vocabulary.count, SentimentLabel.classes.count], scalars: counts),
            classDocumentCounts: documents, alpha: alpha)
        return try NaiveBayesModel(tokenizerIdentifier: tokenizer.identifier, minCount: builder.minCount,
                                   vocabulary: vocabulary, classifier: classifier, binary: binary)
    }
}
