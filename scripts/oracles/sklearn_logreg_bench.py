#!/usr/bin/env python3
"""scikit-learn side of `bench logreg` (bench-time only).

Reads a JSON file (argv[1]):
  {"train_texts": [...], "train_labels": [...], "test_texts": [...], "test_labels": [...],
   "predict_texts": [...], "min_df": int, "C": float, "repeats": int}
Fits TfidfVectorizer(1-2 grams) + LogisticRegression(lbfgs, C) on the train texts and prints
JSON: best-of-`repeats` seconds for training and for transform + predict of predict_texts,
and the macro-F1 on the test texts.
"""
import json
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score


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
    fitted = {}

    def train():
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=request["min_df"])
        model = LogisticRegression(C=request["C"], solver="lbfgs", max_iter=1000)
        model.fit(vectorizer.fit_transform(request["train_texts"]), request["train_labels"])
        fitted["vectorizer"], fitted["model"] = vectorizer, model

    train_seconds = best(request["repeats"], train)
    vectorizer, model = fitted["vectorizer"], fitted["model"]
    texts = request["predict_texts"]
    predict_seconds = best(request["repeats"], lambda: model.predict(vectorizer.transform(texts)))
    predicted = model.predict(vectorizer.transform(request["test_texts"]))
    json.dump({"train_seconds": train_seconds, "predict_seconds": predict_seconds,
               "macro_f1": f1_score(request["test_labels"], predicted, average="macro")}, sys.stdout)


if __name__ == "__main__":
    main()
