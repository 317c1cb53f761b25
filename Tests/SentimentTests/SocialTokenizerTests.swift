import PipelineModel
import Sentiment
import Testing

@Suite struct SocialTokenizerTests {
    let tokenizer = SocialTokenizer()

    func pairs(_ text: String, _ tokenizer: SocialTokenizer = SocialTokenizer()) -> [String] {
        tokenizer.tokens(in: text).map { "\($0.kind.rawValue):\($0.text)" }
    }

    @Test func splitsURLsMentionsHashtagsAndWords() {
        #expect(pairs("@Bob_1 loved it #GoodTimes see https://t.co/abc?x=1.") == [
            "mention:@Bob_1", "word:loved", "word:it", "hashtag:#GoodTimes", "word:see",
            "url:https://t.co/abc?x=1", "punctuation:.",
        ])
        #expect(pairs("(www.example.com)") == ["punctuation:(", "url:www.example.com", "punctuation:)"])
        #expect(pairs("mail@me") == ["word:mail", "mention:@me"])
        #expect(pairs("#日本 # alone") == ["hashtag:#日本", "punctuation:#", "word:alone"])
    }

    @Test func keepsContractionsHyphensAndCase() {
        #expect(pairs("I DON'T can’t e-mail rock'n'roll") == [
            "word:I", "word:DON'T", "word:can’t", "word:e-mail", "word:rock'n'roll",
        ])
        #expect(pairs("'quoted' end-") == ["punctuation:'", "word:quoted", "punctuation:'", "word:end",
                                            "punctuation:-"])
    }

    @Test func numbersAndPunctuationRuns() {
        #expect(pairs("1,000.5 2nd!!?... ok") == ["number:1,000.5", "word:2nd", "punctuation:!!?",
                                                  "punctuation:...", "word:ok"])
    }

    @Test func emojiSequencesStayWhole() {
        let family = "👨\u{200D}👩\u{200D}👧"
        let thumbs = "👍🏽"
        let flag = "🇫🇷"
        let heart = "❤\u{FE0F}"
        let keycap = "1\u{FE0F}\u{20E3}"
        let scotland = "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}"
        let tokens = tokenizer.tokens(in: "hi\(family)\(thumbs)\(flag)🇩🇪 \(heart)\(keycap)\(scotland)😀😀")
        #expect(tokens.map(\.text) == ["hi", family, thumbs, flag, "🇩🇪", heart, keycap, scotland, "😀", "😀"])
        #expect(tokens.dropFirst().allSatisfy { $0.kind == .emoji })
    }

    @Test func emoticonsNeedSensibleBoundaries() {
        #expect(pairs("great:) :-( :DDD <3 ^_^ (: D: xD") == [
            "word:great", "emoticon::)", "emoticon::-(", "emoticon::DDD", "emoticon:<3",
            "emoticon:^_^", "emoticon:(:", "emoticon:D:", "emoticon:xD",
        ])
        #expect(pairs(":Dude (see 8)") == ["punctuation::", "word:Dude", "punctuation:(", "word:see",
                                          "number:8", "punctuation:)"])
        #expect(pairs("time: 10:30") == ["word:time", "punctuation::", "number:10", "punctuation::",
                                         "number:30"])
    }

    @Test func decodesHTMLEntities() {
        #expect(pairs("A &amp; B &lt;3 &#39;x&#x27; &bogus; &amp") == [
            "word:A", "punctuation:&", "word:B", "emoticon:<3", "punctuation:'", "word:x",
            "punctuation:'", "punctuation:&", "word:bogus", "punctuation:;", "punctuation:&", "word:amp",
        ])
        let raw = SocialTokenizer(configuration: .init(decodesHTMLEntities: false))
        #expect(pairs("&amp;", raw) == ["punctuation:&", "word:amp", "punctuation:;"])
        #expect(HTMLEntities.decodeAll("caf&#233; &#0; &#x110000;") == "café &#0; &#x110000;")
    }

    @Test func elongationsAndCaseFlags() {
        let tokens = tokenizer.tokens(in: "Sooooo GOOD yesss ok")
        #expect(tokens.map(\.isElongated) == [true, false, true, false])
        #expect(tokens.map(\.isAllCaps) == [false, true, false, false])
        let folding = SocialTokenizer(configuration: .init(lowercases: true, reducesElongations: true))
        #expect(pairs("Sooooo GOOD #YESSSSS", folding) == ["word:sooo", "word:good", "hashtag:#yesss"])
    }

    @Test func anyInputIsSafe() {
        let weird = ["", " ", "\u{200D}", "\u{FE0F}abc", "🏻", "&#", "&", "@", "#", "http://", "www.",
                     "\u{0301}e", "a\u{0000}b", "\u{1F1E6}", String(repeating: "!", count: 1000),
                     "Ünïcödé ΕΛΛΗΝΙΚΑ русский 中文 عربى", "\u{202E}rtl\u{202C}", "x\u{FFFD}y"]
        for text in weird {
            let tokens = tokenizer.tokens(in: text)
            #expect(tokens.allSatisfy { !$0.text.isEmpty }, "empty token in \(text.debugDescription)")
        }
        #expect(pairs("\u{FE0F}abc") == ["word:abc"])
        #expect(pairs("Ünïcödé ΕΛΛΗΝΙΚΑ") == ["word:Ünïcödé", "word:ΕΛΛΗΝΙΚΑ"])
        #expect(tokenizer.tokens(in: "ΕΛΛΗΝΙΚΑ")[0].isAllCaps)
    }
}
