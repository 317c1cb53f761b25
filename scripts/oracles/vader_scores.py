#!/usr/bin/env python3
"""Reference scores from vaderSentiment 3.3.2, the oracle for the lexicon engine.

Reads JSONL on stdin, one object per line with "text"; writes JSONL on stdout, one
{"neg", "neu", "pos", "compound"} per input line, same order.

With --bench SECONDS it prints no scores but times polarity_scores over all the texts,
repeating until at least SECONDS of this thread's CPU time have passed, and prints one
object: {"texts", "rounds", "wall_seconds", "cpu_seconds", "texts_per_second",
"texts_per_cpu_second"}.
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
        # Wall time and this thread's CPU time: on a shared machine the CPU time is the
        # fairer figure, and the Swift side reports both the same way.
        score = analyzer.polarity_scores
        rounds = 0
        wall_start = time.perf_counter()
        cpu_start = time.thread_time()
        while True:
            for text in texts:
                score(text)
            rounds += 1
            cpu = time.thread_time() - cpu_start
            if cpu >= args.bench:
                break
        wall = time.perf_counter() - wall_start
        json.dump({"texts": len(texts), "rounds": rounds, "wall_seconds": wall, "cpu_seconds": cpu,
                   "texts_per_second": len(texts) * rounds / wall,
                   "texts_per_cpu_second": len(texts) * rounds / cpu}, out)
        out.write("\n")
        return

    for text in texts:
        scores = analyzer.polarity_scores(text)
        json.dump({key: scores[key] for key in ("neg", "neu", "pos", "compound")}, out)
        out.write("\n")


if __name__ == "__main__":
    main()
