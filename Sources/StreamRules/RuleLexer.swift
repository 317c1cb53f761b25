/// Splits a rule value into the lexemes of X's rule syntax.
struct RuleLexer {
    enum Lexeme: Equatable {
        case open
        case close
        case or
        case minus
        case quoted(String)
        case word(String)
    }

    private let characters: [Character]
    private var position = 0

    init(_ value: String) {
        characters = Array(value)
    }

    mutating func lexemes() throws(RuleSyntaxError) -> [Lexeme] {
        var result: [Lexeme] = []
        while position < characters.count {
            let character = characters[position]
            switch character {
            case _ where character.isWhitespace:
                position += 1
            case "(":
                result.append(.open)
                position += 1
            case ")":
                result.append(.close)
                position += 1
            case "\"":
                result.append(.quoted(try quoted()))
            case "-":
                // A minus starts a negation only when glued to what it negates.
                position += 1
                guard position < characters.count, !characters[position].isWhitespace,
                      characters[position] != ")" else { throw .danglingNegation }
                result.append(.minus)
            default:
                let word = self.word()
                result.append(word == "OR" ? .or : .word(word))
            }
        }
        return result
    }

    private mutating func quoted() throws(RuleSyntaxError) -> String {
        position += 1
        let start = position
        while position < characters.count, characters[position] != "\"" {
            position += 1
        }
        guard position < characters.count else { throw .unterminatedQuote }
        defer { position += 1 }
        return String(characters[start..<position])
    }

    private mutating func word() -> String {
        let start = position
        while position < characters.count {
            let character = characters[position]
            if character.isWhitespace || character == "(" || character == ")" || character == "\"" { break }
            position += 1
        }
        return String(characters[start..<position])
    }
}
