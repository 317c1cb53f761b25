#!/usr/bin/env python3
"""scikit-learn side of `bench bayes` (test/bench-time only).

Reads a JSON file (argv[1]):
  {"train_texts": [...], "train_labels": [...], "predict_texts": [...],
   "big_texts": [...], "big_labels": [...], "min_df": int, "alpha": float, "repeats": int}
and prints JSON timings (best of `repeats`, seconds) for
  - predict: CountVectorizer(1-2 grams).transform + MultinomialNB.predict on predict_texts
    with a model fitted on the train texts;
  - train: CountVectorizer(1-2 grams).fit_transform + MultinomialNB.fit on big_texts;
plus this process's peak resident set (VmHWM) and its resident set once the inputs
are loaded (VmRSS, after the imports), in KiB: the bench compares the growth between
the two with its own, so the interpreter and its imports are not counted.
"""
import json
import sys
import time

from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import MultinomialNB


def status_kib(field):
    """A /proc/self/status field given in kB (Linux)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def best(repeats, work):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        request = json.load(handle)
    baseline = status_kib("VmRSS")
    repeats = request["repeats"]
    vectorizer = CountVectorizer(ngram_range=(1, 2), min_df=request["min_df"])
    model = MultinomialNB(alpha=request["alpha"])
    model.fit(vectorizer.fit_transform(request["train_texts"]), request["train_labels"])
    texts = request["predict_texts"]
    predict = best(repeats, lambda: model.predict(vectorizer.transform(texts)))

    def train():
        big = CountVectorizer(ngram_range=(1, 2), min_df=request["min_df"])
        MultinomialNB(alpha=request["alpha"]).fit(big.fit_transform(request["big_texts"]), request["big_labels"])

    train_time = best(repeats, train)
    json.dump({"predict_seconds": predict, "train_seconds": train_time,
               "peak_rss_kib": status_kib("VmHWM"), "baseline_rss_kib": baseline}, sys.stdout)


if __name__ == "__main__":
    main()
