#!/usr/bin/env python3
"""Reference side of `bench mongo`: the same bulk inserts and bulk upserts as MongoKit,
through pymongo, against the same server. Prints one JSON line of rates.

The workload must stay identical to Sources/Bench/MongoBench.swift: same documents,
same batch sizes, same update operators.
"""
import argparse
import datetime
import json
import time

import pymongo
from pymongo import UpdateOne


def make_posts(count):
    base = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    return [
        {
            "_id": f"post-{i}",
            "keyword": f"kw{i % 50}",
            "text": f"post number {i} about kw{i % 50}: the quick brown fox jumps over the lazy dog",
            "score": (i % 200) / 100.0 - 1.0,
            "at": base + datetime.timedelta(milliseconds=i * 250),
            "author": {"handle": f"@user{i % 997}", "followers": i % 5000},
            "tags": ["a", "b", f"t{i % 7}"],
        }
        for i in range(count)
    ]


def make_upserts(start, count, keys):
    base = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
    ops = []
    for i in range(start, start + count):
        score = (i % 200) / 100.0 - 1.0
        at = base + datetime.timedelta(seconds=i)
        ops.append(UpdateOne(
            {"_id": f"kw{i % keys}|2026-01-01T00:00"},
            {
                "$inc": {"count": 1, "sum": score},
                "$set": {"lastText": f"post {i}"},
                "$max": {"maxScore": score, "lastSeen": at},
                "$min": {"minScore": score},
            },
            upsert=True,
        ))
    return ops


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--uri", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--docs", type=int, required=True)
    parser.add_argument("--upserts", type=int, required=True)
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--keys", type=int, required=True)
    args = parser.parse_args()

    client = pymongo.MongoClient(args.uri)
    # Connect before the clock starts: MongoKit's side is timed on a connected client too.
    client.admin.command("ping")
    database = client[args.db]
    posts = database["posts"]
    aggregates = database["aggregates"]

    documents = make_posts(args.docs)
    started = time.perf_counter()
    for offset in range(0, len(documents), args.batch):
        posts.insert_many(documents[offset:offset + args.batch], ordered=False)
    insert_seconds = time.perf_counter() - started

    started = time.perf_counter()
    for offset in range(0, args.upserts, args.batch):
        aggregates.bulk_write(make_upserts(offset, min(args.batch, args.upserts - offset), args.keys), ordered=False)
    upsert_seconds = time.perf_counter() - started

    stored = posts.count_documents({})
    counted = sum(d["count"] for d in aggregates.find({}, {"count": 1}))
    client.drop_database(args.db)
    print(json.dumps({
        "insert_rate": args.docs / insert_seconds,
        "upsert_rate": args.upserts / upsert_seconds,
        "stored": stored,
        "counted": counted,
    }))


if __name__ == "__main__":
    main()
