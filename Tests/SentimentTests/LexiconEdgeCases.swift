/// Hand-made texts that exercise each rule of the VADER method and odd input, scored
/// against the reference by `LexiconParityTests`.
enum LexiconEdgeCases {
    static let texts: [String] = [
        // Empty, blank and punctuation-only input.
        "", " ", "\t\n", "!!!", "???", "...", ":)", "a", "ok.", "ok", "OK!",
        // Plain valence and emphasis.
        "good", "GOOD", "good!", "good!!!!!!!", "bad??", "bad????", "bad?? really?!",
        "The food is GOOD but the service is terrible", "I LOVE it", "ALL CAPS EVERYWHERE IS GREAT",
        // Boosters and dampeners, also in caps and at distance.
        "very good", "VERY good", "very very good", "extremely bad", "slightly good",
        "it was kind of good", "it was sort of bad", "x y kind of good", "just enough x good",
        "kinda good", "sorta bad", "the movie was barely good", "so good", "soooo good",
        // Negation in scope and out of scope.
        "not good", "not a good", "not a b good", "not a b c good", "isn't good", "ISN'T good",
        "dont like it", "never so good", "never this bad", "x y so good", "without doubt good",
        "without a doubt, good", "I am not happy and not sad", "no good", "no", "no problem",
        "no or bad", "no x or good", "nothing good ever happens", "despite the praise it was bad",
        "I wouldn't say it is bad", "rarely good", "nor happy",
        // "least".
        "least good", "at least good", "the very least good", "x least good",
        // "but".
        "good but bad", "good good but good", "bad but good and great", "great but good good",
        "nice, but boring", "BUT it was good", "good but", "but", "good but not bad",
        // Idioms and special cases.
        "the party was the bomb", "honestly that show was the shit", "wow this cake is to die for",
        "that remark was the kiss of death", "oh yeah right you are so nice", "my heart is broken heart",
        "I waited at the bus stop happily", "he is a bad ass", "he cut the mustard",
        // Emoticons and emoji, including sequences the reference does not know.
        "I love it :) :-( ;)", "great:)", ":D", "<3 you", "so sad :'(",
        "😀", "a😀b", "good 😀", "😀😀😀", "❤️", "❤", "love 👍🏽", "go 🇫🇷!", "👨‍👩‍👧 family time",
        "😡 angry", "💔", "🙂 ok", "1️⃣ first", "I'm 😂😂 dead",
        // Contractions, elongations, slang.
        "I can't stand it", "that's sooo coool", "lol", "LOL", "meh", "ugh!!!", "wtf", "omg yes",
        // URLs, mentions, hashtags, HTML entities as raw text.
        "@user good job http://t.co/x #win", "&lt;3 &amp; good", "#happy", "@sad",
        // Weird Unicode: non-breaking and ideographic spaces, zero-width, combining marks, RTL,
        // Greek capitals, Turkish İ, Kelvin sign, replacement character.
        "good\u{00A0}bad", "good\u{3000}great", "good\u{200B}bad", "cafe\u{301} good",
        "\u{202E}bad\u{202C} good", "ΚΑΛΟ good", "İYİ GOOD bad", "\u{212A}ind of good", "x\u{FFFD}y good",
        "GOOD ΚΑΛΟ", "good\u{2028}great", "good\u{0085}great", "ＧＯＯＤ good",
    ]
}
