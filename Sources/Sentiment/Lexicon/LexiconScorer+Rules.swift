extension LexiconScorer {
    /// Gives every token its valence: 0 for words outside the lexicon, for boosters and
    /// for "kind" in "kind of"; otherwise the lexicon valence adjusted by "no", ALL CAPS,
    /// up to three preceding boosters/negations, idioms and "least".
    func assignValences(_ ws: inout Workspace) {
        let n = ws.ids.count
        for i in 0..<n {
            let id = ws.ids[i]
            guard id >= 0 else { ws.sentiments.append(0); continue }
            if table.booster[Int(id)] != 0
                || (id == markers.kind && i + 1 < n && ws.ids[i + 1] == markers.of) {
                ws.sentiments.append(0)
                continue
            }
            let lexiconValence = table.valence[Int(id)]
            guard !lexiconValence.isNaN else { ws.sentiments.append(0); continue }
            ws.sentiments.append(valence(of: i, lexiconValence, ws))
        }
    }

    /// Whether the word at `j` is in the lexicon.
    @inline(__always)
    private func inLexicon(_ j: Int, _ ws: Workspace) -> Bool {
        let id = ws.ids[j]
        return id >= 0 && !table.valence[Int(id)].isNaN
    }

    @inline(__always)
    private func isNegated(_ j: Int, _ ws: Workspace) -> Bool {
        let id = ws.ids[j]
        return ws.hasNT[j] || (id >= 0 && table.isNegation[Int(id)])
    }

    private func valence(of i: Int, _ lexiconValence: Double, _ ws: Workspace) -> Double {
        let ids = ws.ids
        let n = ids.count
        var v = lexiconValence
        // "no" before another lexicon word is a negator, not a sentiment of its own.
        if ids[i] == markers.no, i != n - 1, inLexicon(i + 1, ws) { v = 0 }
        if (i > 0 && ids[i - 1] == markers.no) || (i > 1 && ids[i - 2] == markers.no)
            || (i > 2 && ids[i - 3] == markers.no && (ids[i - 1] == markers.or || ids[i - 1] == markers.nor)) {
            v = lexiconValence * VaderRules.negationScalar
        }
        if ws.upper[i] && ws.capsDiffer {
            v += v > 0 ? VaderRules.capsIncrement : -VaderRules.capsIncrement
        }
        for distance in 1...3 where i >= distance {
            let j = i - distance
            guard !inLexicon(j, ws) else { continue }
            var shift = boost(of: j, towards: v, ws)
            if shift != 0 {
                if distance == 2 { shift *= 0.95 } else if distance == 3 { shift *= 0.9 }
            }
            v += shift
            v = negationScope(v, i: i, distance: distance, ws)
            if distance == 3 { v = idioms(v, i: i, ws) }
        }
        return least(v, i: i, ws)
    }

    /// The shift a booster at `j` gives a valence `v`: away from zero for intensifiers,
    /// towards it for dampeners; an ALL-CAPS booster adds the caps increment.
    @inline(__always)
    private func boost(of j: Int, towards v: Double, _ ws: Workspace) -> Double {
        let id = ws.ids[j]
        guard id >= 0 else { return 0 }
        var scalar = table.booster[Int(id)]
        guard scalar != 0 else { return 0 }
        if v < 0 { scalar = -scalar }
        if ws.upper[j] && ws.capsDiffer {
            scalar += v > 0 ? VaderRules.capsIncrement : -VaderRules.capsIncrement
        }
        return scalar
    }

    /// Negation by the word `distance` tokens back, with the "never so/this" intensifier
    /// and the "without doubt" exception.
    private func negationScope(_ v: Double, i: Int, distance: Int, _ ws: Workspace) -> Double {
        let ids = ws.ids
        let m = markers
        switch distance {
        case 1:
            return isNegated(i - 1, ws) ? v * VaderRules.negationScalar : v
        case 2:
            if ids[i - 2] == m.never && (ids[i - 1] == m.so || ids[i - 1] == m.this) { return v * 1.25 }
            if ids[i - 2] == m.without && ids[i - 1] == m.doubt { return v }
            return isNegated(i - 2, ws) ? v * VaderRules.negationScalar : v
        default:
            // As in the reference, "so"/"this" right before the word intensifies even without "never".
            if (ids[i - 3] == m.never && (ids[i - 2] == m.so || ids[i - 2] == m.this))
                || ids[i - 1] == m.so || ids[i - 1] == m.this {
                return v * 1.25
            }
            if ids[i - 3] == m.without && (ids[i - 2] == m.doubt || ids[i - 1] == m.doubt) { return v }
            return isNegated(i - 3, ws) ? v * VaderRules.negationScalar : v
        }
    }

    /// Idioms around the word (i ≥ 3) replace its valence; multi-word boosters before it shift it.
    private func idioms(_ v: Double, i: Int, _ ws: Workspace) -> Double {
        let ids = ws.ids
        let n = ids.count
        let low = i - 3
        let high = min(n - 1, i + 2)
        var any = false
        for j in low...high where ids[j] >= 0 && table.inPhrase[Int(ids[j])] { any = true; break }
        guard any else { return v }
        var v = v
        // Phrases as (first position, length), in the reference's order of precedence.
        let special = specialCases
        if let value = phraseValue(i - 1, 2, special, ws) ?? phraseValue(i - 2, 3, special, ws)
            ?? phraseValue(i - 2, 2, special, ws) ?? phraseValue(i - 3, 3, special, ws)
            ?? phraseValue(i - 3, 2, special, ws) {
            v = value
        }
        if n - 1 > i, let value = phraseValue(i, 2, special, ws) { v = value }
        if n - 1 > i + 1, let value = phraseValue(i, 3, special, ws) { v = value }
        v += phraseValue(i - 3, 3, boosterPhrases, ws) ?? 0
        v += phraseValue(i - 3, 2, boosterPhrases, ws) ?? 0
        v += phraseValue(i - 2, 2, boosterPhrases, ws) ?? 0
        return v
    }

    /// The value of the phrase spelled by the `length` tokens from `start`, if listed.
    @inline(__always)
    private func phraseValue(_ start: Int, _ length: Int, _ phrases: [([Int32], Double)],
                             _ ws: Workspace) -> Double? {
        for (words, value) in phrases where words.count == length {
            var match = true
            for k in 0..<length where ws.ids[start + k] != words[k] {
                match = false
                break
            }
            if match { return value }
        }
        return nil
    }

    /// "least" before the word negates it, except in "at least" and "very least".
    private func least(_ v: Double, i: Int, _ ws: Workspace) -> Double {
        let ids = ws.ids
        guard i > 0, ids[i - 1] == markers.least, !inLexicon(i - 1, ws) else { return v }
        if i > 1 {
            return ids[i - 2] != markers.at && ids[i - 2] != markers.very ? v * VaderRules.negationScalar : v
        }
        return v * VaderRules.negationScalar
    }

    /// The contrastive "but": valences before the first "but" are halved and those after
    /// it raised by half. Like the reference, each value is located by its first equal
    /// value in the list, so repeated valences can be adjusted at an earlier position.
    func applyButShift(_ ws: inout Workspace) {
        guard let but = ws.ids.firstIndex(of: markers.but) else { return }
        let n = ws.sentiments.count
        for k in 0..<n {
            let value = ws.sentiments[k]
            var target = 0
            while ws.sentiments[target] != value { target += 1 }
            if target < but {
                ws.sentiments[target] = value * 0.5
            } else if target > but {
                ws.sentiments[target] = value * 1.5
            }
        }
    }
}
