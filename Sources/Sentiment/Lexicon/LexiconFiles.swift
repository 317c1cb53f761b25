import Foundation

/// Where the `lexicons/` folder is at run time, and reading its two files. The only
/// file access of the `Sentiment` module; parsing stays pure (`VaderLexicon`).
public struct LexiconFiles: Sendable, Hashable {
    /// File name of the token valences.
    public static let lexiconFileName = "vader_lexicon.txt"
    /// File name of the emoji descriptions.
    public static let emojiFileName = "emoji_utf8_lexicon.txt"
    /// Environment variable that points at the folder, tried first.
    public static let environmentVariable = "SENTIMENT_LEXICON_DIR"

    /// The folder holding both files.
    public var directory: URL

    /// Uses `directory` as the folder, without checking it.
    public init(directory: URL) {
        self.directory = directory
    }

    /// The folders tried, in order: `$SENTIMENT_LEXICON_DIR`, `<executable dir>/lexicons`,
    /// `<executable dir>/../share/sentiment-pipeline/lexicons`, `./lexicons`, and the
    /// `lexicons` folder of the source checkout this file was built from.
    public static func candidates(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        executableDirectory: URL? = Bundle.main.executableURL?.deletingLastPathComponent(),
        currentDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    ) -> [URL] {
        var result: [URL] = []
        if let path = environment[environmentVariable], !path.isEmpty {
            result.append(URL(fileURLWithPath: path))
        }
        if let executableDirectory {
            result.append(executableDirectory.appendingPathComponent("lexicons"))
            result.append(executableDirectory.appendingPathComponent("../share/sentiment-pipeline/lexicons")
                .standardizedFileURL)
        }
        result.append(currentDirectory.appendingPathComponent("lexicons"))
        // Sources/Sentiment/Lexicon/LexiconFiles.swift → project root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        result.append(root.appendingPathComponent("lexicons"))
        return result
    }

    /// The first candidate folder that holds both files.
    public static func locate(candidates: [URL] = candidates()) throws -> LexiconFiles {
        let fileManager = FileManager.default
        for directory in candidates {
            let lexicon = directory.appendingPathComponent(lexiconFileName).path
            let emoji = directory.appendingPathComponent(emojiFileName).path
            if fileManager.isReadableFile(atPath: lexicon) && fileManager.isReadableFile(atPath: emoji) {
                return LexiconFiles(directory: directory)
            }
        }
        throw LexiconFilesError.notFound(tried: candidates.map(\.path))
    }

    /// Reads and parses both files.
    public func load() throws -> VaderLexicon {
        func read(_ name: String) throws -> String {
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw LexiconFilesError.unreadable(path: url.path)
            }
            return String(decoding: data, as: UTF8.self)
        }
        return VaderLexicon(lexiconText: try read(Self.lexiconFileName), emojiText: try read(Self.emojiFileName))
    }
}

/// Why the lexicon files could not be used.
public struct LexiconFilesError: Error, CustomStringConvertible, Equatable {
    private enum Reason: Equatable {
        case notFound([String])
        case unreadable(String)
    }

    private let reason: Reason

    /// No candidate folder held both files.
    public static func notFound(tried paths: [String]) -> LexiconFilesError { .init(reason: .notFound(paths)) }
    /// A file exists but could not be read.
    public static func unreadable(path: String) -> LexiconFilesError { .init(reason: .unreadable(path)) }

    public var description: String {
        switch reason {
        case .notFound(let paths):
            "lexicon files (\(LexiconFiles.lexiconFileName), \(LexiconFiles.emojiFileName)) not found; tried: "
                + paths.joined(separator: ", ") + "; set \(LexiconFiles.environmentVariable) to the lexicons folder"
        case .unreadable(let path):
            "cannot read lexicon file \(path)"
        }
    }
}
