"""boto3 against Sediment: 1,100 keys put from a thread pool, listed with the list_objects_v2 and
list_objects (v1) paginators at their default page size (1000, so two pages), then deleted with
delete_objects in batches of 1000.

Usage: boto3_listing.py <bucket>; SEDIMENT_ENDPOINT, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
from the environment. Prints one JSON summary line on success; on a failed check prints the reason
to stderr and exits 1 (an S3 error exits 1 with botocore's traceback).
"""
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

KEY_COUNT = 1100
WORKERS = 16


def fail(reason):
    print(f"boto3_listing: {reason}", file=sys.stderr)
    sys.exit(1)


def key_of(i):
    # Mostly plain keys, and some that need escaping in XML and in URLs (botocore asks for
    # encoding-type=url when listing and decodes the keys itself).
    if i % 50 == 0:
        return f"odd names/{i:05d} café ☕ & <x>.txt"
    return f"keys/{i:05d}"


def main():
    bucket = sys.argv[1]
    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ["SEDIMENT_ENDPOINT"],
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1, "mode": "standard"}, max_pool_connections=WORKERS),
    )
    s3.create_bucket(Bucket=bucket)

    keys = [key_of(i) for i in range(KEY_COUNT)]
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        etags = list(pool.map(lambda k: s3.put_object(Bucket=bucket, Key=k, Body=k.encode())["ETag"], keys))
    if len(set(etags)) != KEY_COUNT:
        fail(f"expected {KEY_COUNT} distinct ETags, got {len(set(etags))}")

    # S3 lists in UTF-8 byte order, which for str is code point order: sorted().
    expected = sorted(keys)
    summary = {"put": KEY_COUNT}
    for name, operation in (("v2", "list_objects_v2"), ("v1", "list_objects")):
        page_sizes, listed = [], []
        for page in s3.get_paginator(operation).paginate(Bucket=bucket):
            contents = page.get("Contents", [])
            page_sizes.append(len(contents))
            listed.extend(obj["Key"] for obj in contents)
        if len(listed) != len(set(listed)):
            fail(f"{operation}: some keys listed more than once")
        if listed != expected:
            missing = sorted(set(expected) - set(listed))[:5]
            fail(f"{operation}: listing differs from the keys put (first missing: {missing}; in order: {listed == sorted(listed)})")
        summary[f"{name}_pages"] = page_sizes

    deleted_per_batch = []
    for at in range(0, len(expected), 1000):
        batch = expected[at : at + 1000]
        result = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in batch]})
        if result.get("Errors"):
            fail(f"delete_objects errors: {result['Errors'][:3]}")
        deleted = sorted(d["Key"] for d in result.get("Deleted", []))
        if deleted != batch:
            fail(f"delete_objects reported {len(deleted)} deleted keys, not the {len(batch)} of the batch")
        deleted_per_batch.append(len(deleted))
    summary["deleted"] = deleted_per_batch
    summary["remaining"] = s3.list_objects_v2(Bucket=bucket)["KeyCount"]
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
