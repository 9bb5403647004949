"""A cleanup tool's loop with boto3, as s3-tests' nuke_prefixed_buckets does it: page through
list_object_versions with the paginator and delete each page by version id before the paginator
asks for the next one, so each request names as its markers a version that is already gone,
`null` ones included. Every version must be seen once, and delete_bucket must then succeed.

The bucket mixes null versions (written before versioning, and while Suspended, where the null
version sits between versioned ones), delete markers and keys that need URL-encoding.

Usage: boto3_cleanup.py <bucket>; SEDIMENT_ENDPOINT, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
from the environment. Prints one JSON summary line; on a failed check prints the reason to stderr
and exits 1.
"""
import json
import os
import sys

import boto3
from botocore.config import Config

PAGE_SIZE = 3


def fail(reason):
    print(f"boto3_cleanup: {reason}", file=sys.stderr)
    sys.exit(1)


def main():
    bucket = sys.argv[1]
    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ["SEDIMENT_ENDPOINT"],
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}, retries={"total_max_attempts": 1, "mode": "standard"}),
    )
    keys = [f"dir {i}/k+{i}" for i in range(6)] + ["plain"]
    written = set()

    def put(key):
        version = s3.put_object(Bucket=bucket, Key=key, Body=key.encode()).get("VersionId", "null")
        written.add((key, version))

    def versioning(status):
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": status})

    s3.create_bucket(Bucket=bucket)
    for key in keys:
        put(key)  # the null version
    versioning("Enabled")
    for key in keys[:4]:
        put(key)
    versioning("Suspended")
    for key in keys[:2]:
        written.discard((key, "null"))
        put(key)  # replaces the null version, now between versioned ones
    versioning("Enabled")
    for key in keys[:3]:
        put(key)
        written.add((key, s3.delete_object(Bucket=bucket, Key=key)["VersionId"]))

    seen = []
    pages = 0
    paginator = s3.get_paginator("list_object_versions")
    for page in paginator.paginate(Bucket=bucket, PaginationConfig={"PageSize": PAGE_SIZE}):
        pages += 1
        listed = [(v["Key"], v["VersionId"]) for v in page.get("Versions", []) + page.get("DeleteMarkers", [])]
        seen.extend(listed)
        if listed:
            result = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k, "VersionId": v} for k, v in listed]})
            if result.get("Errors"):
                fail(f"delete_objects reported errors: {result['Errors']}")
        if pages > 100:
            fail("paging does not end")

    if len(seen) != len(set(seen)):
        fail(f"a version was listed twice: {seen}")
    if set(seen) != written:
        fail(f"listed {sorted(set(seen))}, written {sorted(written)}")
    s3.delete_bucket(Bucket=bucket)
    print(json.dumps({"written": len(written), "seen": len(seen), "pages": pages}))


if __name__ == "__main__":
    main()
