#!/usr/bin/env python3
"""scikit-learn side of `bench train` (bench-time only): what an analyst would fit on their labels.

Reads a JSON file (argv[1]):
  {"train_texts": [...], "train_labels": [...], "test_texts": [...], "test_labels": [...],
   "C": float, "min_df": int, "repeats": int}
Fits TfidfVectorizer(1-2 grams, min_df) + LogisticRegression(lbfgs, C, max_iter 1000) on the
train part and prints JSON: the wall-clock and CPU seconds of the training run with the least
CPU time out of `repeats`, and macro-F1 and macro-recall on the held-out part.
"""
import json
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, recall_score


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        request = json.load(handle)
    runs = []
    for _ in range(max(1, request["repeats"])):
        wall, cpu = time.perf_counter(), time.process_time()
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=request["min_df"])
        model = LogisticRegression(C=request["C"], solver="lbfgs", max_iter=1000)
        model.fit(vectorizer.fit_transform(request["train_texts"]), request["train_labels"])
        runs.append((time.process_time() - cpu, time.perf_counter() - wall, vectorizer, model))
    cpu, wall, vectorizer, model = min(runs, key=lambda run: run[0])
    predicted = model.predict(vectorizer.transform(request["test_texts"]))
    gold = request["test_labels"]
    json.dump({"train_cpu": cpu, "train_wall": wall,
               "macro_f1": f1_score(gold, predicted, average="macro"),
               "macro_recall": recall_score(gold, predicted, average="macro")}, sys.stdout)


if __name__ == "__main__":
    main()
