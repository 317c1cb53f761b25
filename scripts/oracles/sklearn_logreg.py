#!/usr/bin/env python3
"""Reference multinomial logistic regression for the differential test (test-time only).

Reads a JSON file (path in argv[1]) with the exact sparse feature rows the Swift code built:
  {"columns": int, "C": float,
   "train": [[[column, value], ...], ...], "labels": [class index, ...],
   "test": [[[column, value], ...], ...]}
Repeated columns in a row add up. Fits scikit-learn's LogisticRegression (lbfgs,
multinomial, L2, tight tolerance) and prints {"classes": [...], "proba": [[...], ...]}
for the test rows.
"""
import json
import sys

from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression


def matrix(rows, columns):
    data, indices, starts = [], [], [0]
    for row in rows:
        for column, value in row:
            indices.append(column)
            data.append(value)
        starts.append(len(indices))
    result = csr_matrix((data, indices, starts), shape=(len(rows), columns))
    result.sum_duplicates()
    return result


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        request = json.load(handle)
    train = matrix(request["train"], request["columns"])
    test = matrix(request["test"], request["columns"])
    model = LogisticRegression(C=request["C"], solver="lbfgs", tol=1e-10, max_iter=10000)
    model.fit(train, request["labels"])
    json.dump({"classes": model.classes_.tolist(), "proba": model.predict_proba(test).tolist()}, sys.stdout)


if __name__ == "__main__":
    main()
