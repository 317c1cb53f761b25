#!/usr/bin/env python3
"""Reference scores from vaderSentiment 3.3.2, the oracle for the lexicon engine.

Reads JSONL on stdin, one object per line with "text"; writes JSONL on stdout, one
{"neg", "neu", "pos", "compound"} per input line, same order.

With --bench SECONDS it scores nothing to stdout per line but times polarity_scores over
all the texts, repeating until at least SECONDS have passed, and prints one object:
{"texts": n, "rounds": r, "seconds": s, "texts_per_second": x}.
Test-time only: never shipped.
"""
import argparse
import json
import sys
import time

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=float, metavar="SECONDS",
                        help="time polarity_scores instead of printing scores")
    args = parser.parse_args()

    texts = [json.loads(line)["text"] for line in sys.stdin if line.strip()]
    analyzer = SentimentIntensityAnalyzer()
    out = sys.stdout

    if args.bench is not None:
        score = analyzer.polarity_scores
        rounds = 0
        start = time.perf_counter()
        while True:
            for text in texts:
                score(text)
            rounds += 1
            elapsed = time.perf_counter() - start
            if elapsed >= args.bench:
                break
        json.dump({"texts": len(texts), "rounds": rounds, "seconds": elapsed,
                   "texts_per_second": len(texts) * rounds / elapsed}, out)
        out.write("\n")
        return

    for text in texts:
        scores = analyzer.polarity_scores(text)
        json.dump({key: scores[key] for key in ("neg", "neu", "pos", "compound")}, out)
        out.write("\n")


if __name__ == "__main__":
    main()
