import Foundation

/// What a dashboard access token must be: guessable tokens are refused at start, so a
/// placeholder left in a deploy file can never protect a dashboard that is reachable
/// from the network.
///
/// Strength is estimated as `length × log2(alphabet)`, where the alphabet is the union
/// of the character classes the token uses: lower-case letters (26), upper-case letters
/// (26), digits (10), other printable ASCII (32) and anything beyond ASCII (counted as
/// 256). `openssl rand -hex 24` scores 48 × log2(36) ≈ 248 (its true entropy is 192
/// bits: counting whole classes overstates hex, never by enough to pass a short token).
public enum AccessTokenPolicy {
    /// The least estimated strength accepted.
    public static let minimumBits = 128.0
    /// How to make a good token, shown with every refusal.
    public static let hint = "generate one with: openssl rand -hex 24"
    /// Values shipped in examples and templates (lower-cased substrings): refused even
    /// when long, because they are public.
    static let placeholders = ["replace-me", "replaceme", "change-me", "changeme", "change_me",
                               "placeholder", "your-token", "your_token", "example", "dashboard_token"]

    /// Why `token` is refused, or nil when it is acceptable.
    public static func problem(with token: String) -> String? {
        if token.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
            return "contains whitespace"
        }
        if token.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "contains control characters"
        }
        let lowered = token.lowercased()
        if placeholders.contains(where: { lowered.contains($0) }) {
            return "is a placeholder"
        }
        let bits = estimatedBits(token)
        if bits < minimumBits {
            return "is too weak (about \(Int(bits)) bits, at least \(Int(minimumBits)) needed)"
        }
        return nil
    }

    /// `length × log2(alphabet)` as described on the type.
    public static func estimatedBits(_ token: String) -> Double {
        var lower = false, upper = false, digit = false, symbol = false, beyondASCII = false
        var length = 0
        for scalar in token.unicodeScalars {
            length += 1
            switch scalar.value {
            case 0x61...0x7A: lower = true
            case 0x41...0x5A: upper = true
            case 0x30...0x39: digit = true
            case 0x21...0x7E: symbol = true
            default: beyondASCII = true
            }
        }
        let alphabet = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 32 : 0)
            + (beyondASCII ? 256 : 0)
        guard alphabet > 1 else { return 0 }
        return Double(length) * log2(Double(alphabet))
    }
}
