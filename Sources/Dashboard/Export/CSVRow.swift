/// One line of RFC 4180 CSV: cells separated by commas, a cell quoted (its quotes
/// doubled) when it holds a comma, a quote, CR or LF, and the line ended by CRLF.
///
/// Cells of text that came from outside (post texts, authors, keywords, ids) are made
/// safe for spreadsheets: one starting with `=`, `+`, `-`, `@` (or a tab or CR, which
/// some spreadsheets skip before reading a formula) gets a `'` prefix, so opening the
/// file never runs a formula someone posted. Numbers this program formats itself are
/// written as they are, so `-0.5` stays a number.
public struct CSVRow: Sendable, Equatable {
    /// One cell.
    public enum Cell: Sendable, Equatable {
        /// Text from the data: quoted as needed and guarded against formulas.
        case text(String)
        /// A value formatted here (a number, a timestamp): quoted as needed, never prefixed.
        case number(String)
    }

    /// The cells, in column order.
    public var cells: [Cell]

    /// A row of `cells`.
    public init(_ cells: [Cell]) { self.cells = cells }

    /// A header row (column names are ours: never prefixed).
    public init(header names: [String]) { cells = names.map(Cell.number) }

    /// The encoded line, CRLF included.
    public var line: String {
        var out = ""
        for (index, cell) in cells.enumerated() {
            if index > 0 { out += "," }
            switch cell {
            case .text(let value): out += Self.quoted(Self.defused(value))
            case .number(let value): out += Self.quoted(value)
            }
        }
        return out + "\r\n"
    }

    /// `value` with a `'` in front when a spreadsheet would read it as a formula.
    static func defused(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
        return "'" + value
    }

    /// `value` in quotes (inner quotes doubled) when it needs them, else as it is.
    static func quoted(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
