import Foundation

/// Number labels used by pages and charts.
public enum NumberFormat {
    /// `12,345`
    public static func count(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// `+0.42`, `−0.17`, `0.00`; an em dash when there is no value.
    public static func compound(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        let rounded = (value * 100).rounded() / 100
        if rounded == 0 { return "0.00" }
        let magnitude = String(format: "%.2f", abs(rounded))
        return (rounded > 0 ? "+" : "\u{2212}") + magnitude
    }

    /// `45%` of a share in 0…1; an em dash when there is no value.
    public static func percent(_ share: Double?) -> String {
        guard let share, share.isFinite else { return "—" }
        return "\(Int((share * 100).rounded()))%"
    }

    /// A short axis label for a tick value: `0`, `5`, `1.5k`, `20k`.
    public static func axis(_ value: Double) -> String {
        if value >= 1000 {
            let k = value / 1000
            return k == k.rounded() ? "\(Int(k))k" : String(format: "%.1fk", k)
        }
        return value == value.rounded() ? "\(Int(value))" : String(format: "%.1f", value)
    }

    /// A coordinate with at most one decimal, for compact SVG.
    static func coordinate(_ value: Double) -> String {
        let r = (value * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
