#!/usr/bin/env python3
"""Reference Multinomial Naive Bayes for the differential test (test-time only).

Reads a JSON file (path in argv[1]) with the exact feature terms the Swift code extracted:
  {"alpha": float, "vocabulary": [term, ...],
   "train": [[term, ...], ...], "labels": [class index, ...], "test": [[term, ...], ...]}
and prints JSON with scikit-learn's view of the same counts:
  {"classes": [...], "predict": [...], "log_proba": [[...], ...],
   "feature_log_prob": [[...], ...], "class_log_prior": [...]}
The documents are already term lists, so CountVectorizer only counts them (identity
analyzer) over the given vocabulary; no tokenization happens here.
"""
import json
import sys

from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import MultinomialNB


def identity(terms):
    return terms


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        request = json.load(handle)
    vocabulary = {term: index for index, term in enumerate(request["vocabulary"])}
    vectorizer = CountVectorizer(vocabulary=vocabulary, analyzer=identity, lowercase=False)
    train = vectorizer.transform(request["train"])
    test = vectorizer.transform(request["test"])
    model = MultinomialNB(alpha=request["alpha"])
    model.fit(train, request["labels"])
    json.dump({
        "classes": model.classes_.tolist(),
        "predict": model.predict(test).tolist(),
        "log_proba": model.predict_log_proba(test).tolist(),
        "feature_log_prob": model.feature_log_prob_.tolist(),
        "class_log_prior": model.class_log_prior_.tolist(),
    }, sys.stdout)


if __name__ == "__main__":
    main()
