import ArgumentParser
import Wiring
import Foundation
import Sentiment

/// `sentiment score`: JSONL (or plain lines) in, one JSON result per line out, in order.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score texts: JSONL with `text` (and optional `id`) in, JSONL results out.",
        discussion: """
            Malformed lines are reported on stderr with their line number and skipped; \
            the exit code is 0 unless the input cannot be read or no line of it is usable \
            (then `sentiment: error: …` and exit 2).
            """
    )

    // ArgumentParser appends the values and the default (`EngineKind.default`).
    @Option(help: "Sentiment engine.")
    var engine = EngineKind.default

    @Option(help: "Model file for bayes/logreg/hybrid (default: lexicons/\(EngineFactory.defaultModelName)).")
    var model: String?

    @Option(name: .customLong("score-languages"), help: ArgumentHelp(
        "Languages to score, as X's lang tags (e.g. en,und); lines whose JSON `lang` is another are labelled unscored.",
        discussion: "Default: the engine's languages and und, like the consumer. Lines without a lang (and --text-lines) are scored."))
    var scoreLanguages: String?

    @Flag(help: "Treat every input line as a text instead of a JSON object.")
    var textLines = false

    @Option(help: "Texts scored per batch (memory stays proportional to this).")
    var batchSize = 1024

    @Argument(help: "Input file, or - for stdin (the default).")
    var file: String?

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        try LanguageOption.validate(scoreLanguages)
    }

    func run() throws {
        let scorer = try EngineFactory.make(engine, modelPath: model)
        let gate = LanguageOption.gate(scoreLanguages, for: scorer)
        let reader = try LineReader(path: file)
        var writer = JSONLineWriter()
        let progress = ProgressBar.onTerminal(title: "scoring")
        var ids: [String?] = []
        var texts: [String] = []
        var languages: [String?] = []
        var scored = 0
        var malformed = 0

        func scoreBatch() {
            guard !texts.isEmpty else { return }
            for (id, result) in zip(ids, gate.score(texts, languages: languages, with: scorer)) {
                writer.append(id: id, result: result, probabilistic: engine != .lexicon)
            }
            writer.flush()
            scored += texts.count
            // The input's length is unknown while streaming: the bar shows the count.
            progress?.draw(fraction: 0, detail: "\(scored) scored")
            ids.removeAll(keepingCapacity: true)
            texts.removeAll(keepingCapacity: true)
            languages.removeAll(keepingCapacity: true)
        }

        while let line = try reader.next() {
            if textLines {
                ids.append(nil)
                texts.append(line)
                languages.append(nil)
            } else {
                if line.allSatisfy(\.isWhitespace) { continue }
                switch Self.parse(line) {
                case let .success((id, text, lang)):
                    ids.append(id)
                    texts.append(text)
                    languages.append(lang)
                case let .failure(problem):
                    malformed += 1
                    StandardStreams.message("line \(reader.lineNumber): \(problem.description)")
                }
            }
            if texts.count >= batchSize { scoreBatch() }
        }
        scoreBatch()
        progress?.finish()
        if malformed > 0 && scored == 0 {
            // Nothing usable at all is almost always the wrong file or format.
            throw CommandFailure("no line could be scored: \(malformed) malformed line(s)")
        }
        if malformed > 0 {
            StandardStreams.message("skipped \(malformed) malformed line(s), scored \(scored)")
        }
    }

    /// The JSON id (re-encoded), text and `lang` of one input line.
    static func parse(_ line: String) -> Result<(String?, String, String?), CommandFailure> {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            return .failure(CommandFailure("not a JSON object"))
        }
        guard let text = object["text"] as? String else {
            return .failure(CommandFailure("no string \"text\" field"))
        }
        let id: String? = switch object["id"] {
        case let string as String: JSONLineWriter.string(string)
        case let number as Int: "\(number)"
        case let number as Double where number.isFinite: "\(number)"
        default: nil
        }
        return .success((id, text, object["lang"] as? String))
    }
}
