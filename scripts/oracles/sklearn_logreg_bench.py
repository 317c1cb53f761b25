#!/usr/bin/env python3
"""scikit-learn side of `bench logreg` (bench-time only).

Reads a JSON file (argv[1]):
  {"train_texts": [...], "train_labels": [...], "test_texts": [...], "test_labels": [...],
   "predict_texts": [...], "min_df": int, "C": float, "repeats": int}
Fits TfidfVectorizer(1-2 grams) + LogisticRegression(lbfgs, C) on the train texts and prints
JSON: for training (split into vectorizing and fitting) and for transform + predict of
predict_texts, the wall-clock and CPU seconds of the run with the least CPU time out of
`repeats`; the fitting iterations; and the macro-F1 on the test texts.
"""
import json
import sys
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score


def best(repeats, work):
    """(wall, cpu) seconds of the run with the least CPU time; work returns its own phase times."""
    runs = []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        phases = work()
        runs.append((time.process_time() - cpu, time.perf_counter() - wall, phases))
    cpu, wall, phases = min(runs, key=lambda run: run[0])
    return {"wall": wall, "cpu": cpu, "phases": phases}


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        request = json.load(handle)
    fitted = {}

    def train():
        start = time.process_time()
        vectorizer = TfidfVectorizer(ngram_range=(1, 2), min_df=request["min_df"])
        features = vectorizer.fit_transform(request["train_texts"])
        vectorized = time.process_time()
        model = LogisticRegression(C=request["C"], solver="lbfgs", max_iter=1000)
        model.fit(features, request["train_labels"])
        fitted["vectorizer"], fitted["model"] = vectorizer, model
        return {"vectorize_cpu": vectorized - start, "fit_cpu": time.process_time() - vectorized,
                "iterations": int(model.n_iter_.max()), "features": features.shape[1]}

    train_time = best(request["repeats"], train)
    vectorizer, model = fitted["vectorizer"], fitted["model"]
    texts = request["predict_texts"]
    predict_time = best(request["repeats"], lambda: model.predict(vectorizer.transform(texts)) is None)
    predicted = model.predict(vectorizer.transform(request["test_texts"]))
    json.dump({"train": train_time, "predict": predict_time,
               "macro_f1": f1_score(request["test_labels"], predicted, average="macro")}, sys.stdout)


if __name__ == "__main__":
    main()
