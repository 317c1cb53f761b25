#!/usr/bin/env python3
"""Derives the committed JSONL corpora of this folder from their sources (see README.md).

Usage: corpora/derive.py VADER_DIR GOEMOTIONS_GIT_DIR FINANCIAL_GIT_DIR
  VADER_DIR           folder with the four *_GroundTruth.txt files (scripts/fetch-corpora
                      puts them in .cache/corpora)
  GOEMOTIONS_GIT_DIR  a git directory of monologg/GoEmotions-pytorch (read with git show)
  FINANCIAL_GIT_DIR   a git directory of umaima-aman/Twee_Sentiment_Analysis-DeepLearning

Every choice (split, subsample) is a pure function of the item's source and text via
SHA-256, so the output is the same on every machine and Python version. Writes
`<corpus>.<train|dev|test>.jsonl` for vader-tweets, vader-snippets, goemotions, finance-tweets.
"""
import csv
import hashlib
import io
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GOEMOTIONS_COMMIT = "b75f9d3a8b76bc1060687925b04ca98a1b8ea66b"
FINANCIAL_COMMIT = "0286b19b35c7d658dc28068381c765df4758545a"


def rank(source, key):
    """A stable pseudo-random rank: SHA-256 of 'source|key' ('seed 0' of the README)."""
    return hashlib.sha256(f"{source}|{key}".encode("utf-8")).hexdigest()


def vader_label(rating):
    """Hutto & Gilbert's three-class gold label: mean/4 ≥ 0.05 positive, ≤ −0.05 negative."""
    compound = float(rating) / 4
    if compound >= 0.05:
        return "positive"
    if compound <= -0.05:
        return "negative"
    return "neutral"


def read_ground_truth(path):
    items = []
    with open(path, encoding="utf-8", newline="") as handle:
        for line in handle:
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            ident, rating, text = line.split("\t", 2)
            items.append({"id": ident, "text": text, "label": vader_label(rating)})
    return items


def stratified(items, source, test, dev):
    """Per label, items ordered by rank: first `test` share → test, next `dev` → dev."""
    for label in ("negative", "neutral", "positive"):
        members = sorted((i for i in items if i["label"] == label), key=lambda i: rank(source, i["id"]))
        n_test = round(len(members) * test)
        n_dev = round(len(members) * dev)
        for k, item in enumerate(members):
            item["split"] = "test" if k < n_test else ("dev" if k < n_test + n_dev else "train")
    return items


def subsample(items, source, count):
    """The `count` items of lowest rank, kept in source order."""
    if len(items) <= count:
        return items
    keep = set(id(i) for i in sorted(items, key=lambda i: rank(source, i["id"]))[:count])
    return [i for i in items if id(i) in keep]


def git_show(git_dir, commit, path):
    return subprocess.run(["git", "--git-dir", git_dir, "show", f"{commit}:{path}"],
                          check=True, capture_output=True).stdout.decode("utf-8")


def write(corpus, items):
    """One file per split, `<corpus>.<split>.jsonl`, items in source order."""
    for split in ("train", "dev", "test"):
        with open(os.path.join(HERE, f"{corpus}.{split}.jsonl"), "w", encoding="utf-8", newline="\n") as out:
            for item in items:
                if item["split"] == split:
                    out.write(json.dumps({"text": item["text"], "label": item["label"], "source": item["source"]},
                                         ensure_ascii=False, separators=(",", ":")) + "\n")


def main():
    vader, goemotions, financial = sys.argv[1:4]

    tweets = read_ground_truth(os.path.join(vader, "tweets_GroundTruth.txt"))
    for t in tweets:
        t["source"] = "vader-tweets"
    write("vader-tweets", stratified(tweets, "vader-tweets", 0.2, 0.1))

    snippets = []
    for source, name, keep in (("vader-movies", "movieReviewSnippets", 2500),
                               ("vader-amazon", "amazonReviewSnippets", 2500),
                               ("vader-nyt", "nytEditorialSnippets", 2500)):
        items = subsample(read_ground_truth(os.path.join(vader, f"{name}_GroundTruth.txt")), source, keep)
        for item in items:
            item["source"] = source
        snippets += stratified(items, source, 0.2, 0.1)
    write("vader-snippets", snippets)

    # GoEmotions grouped labels: 0 ambiguous, 1 negative, 2 neutral, 3 positive (labels.txt).
    names = git_show(goemotions, GOEMOTIONS_COMMIT, "data/group/labels.txt").split()
    assert names == ["ambiguous", "negative", "neutral", "positive"], names
    reddit = []
    for part, split, keep in (("train", "train", 9000), ("dev", "dev", 3000), ("test", "test", 3000)):
        items = []
        for row in git_show(goemotions, GOEMOTIONS_COMMIT, f"data/group/{part}.tsv").split("\n"):
            if not row.strip():
                continue
            text, labels, ident = row.split("\t")
            if "," in labels or names[int(labels)] == "ambiguous":
                continue  # several groups, or ambiguous: no single three-class label
            items.append({"id": ident, "text": text, "label": names[int(labels)], "source": "goemotions",
                          "split": split})
        reddit += subsample(items, "goemotions", keep)
    write("goemotions", reddit)

    # Twitter Financial News Sentiment: 0 bearish → negative, 1 bullish → positive, 2 neutral.
    mapping = {"0": "negative", "1": "positive", "2": "neutral"}
    money = []
    for path, prefix in (("sent_train.csv", "train"), ("sent_valid.csv", "valid")):
        rows = list(csv.DictReader(io.StringIO(git_show(financial, FINANCIAL_COMMIT, path))))
        items = [{"id": f"{prefix}-{k + 1}", "text": r["text"], "label": mapping[r["label"]],
                  "source": "finance-tweets"} for k, r in enumerate(rows)]
        if prefix == "train":
            stratified(items, "finance-tweets", 0.0, 0.1)
            items = [i for i in items if i["split"] == "dev"] + subsample(
                [i for i in items if i["split"] == "train"], "finance-tweets", 6000)
        else:
            for item in items:
                item["split"] = "test"
        money += items
    write("finance-tweets", money)


if __name__ == "__main__":
    main()
