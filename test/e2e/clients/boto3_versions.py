"""boto3 against a versioned Sediment bucket: 400 keys written 3 times each from a thread pool, with
a delete marker on every 5th key (1,280 versions and markers), listed with the list_object_versions
paginator at its default page size (1000, so two pages), then every version and marker deleted by
version id with delete_objects in batches of 1000. delete_bucket must fail with BucketNotEmpty while
anything is left (a delete marker alone included) and succeed once nothing is.

Usage: boto3_versions.py <bucket>; SEDIMENT_ENDPOINT, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
from the environment. Prints one JSON summary line on success; on a failed check prints the reason
to stderr and exits 1 (an unexpected S3 error exits 1 with botocore's traceback).
"""
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

KEY_COUNT = 400
VERSIONS_PER_KEY = 3
MARKER_EVERY = 5
WORKERS = 16
BATCH = 1000


def fail(reason):
    print(f"boto3_versions: {reason}", file=sys.stderr)
    sys.exit(1)


def key_of(i):
    # Some keys need escaping in XML and URLs; botocore lists with encoding-type=url and decodes.
    if i % 40 == 0:
        return f"odd names/{i:04d} café & <v>.txt"
    return f"keys/{i:04d}"


def error_of(call):
    """(status, code) of the ClientError call() raises; fails when it succeeds."""
    try:
        call()
    except ClientError as error:
        return error.response["ResponseMetadata"]["HTTPStatusCode"], error.response["Error"]["Code"]
    fail("expected an error, the call succeeded")


def main():
    bucket = sys.argv[1]
    s3 = boto3.client(
        "s3",
        endpoint_url=os.environ["SEDIMENT_ENDPOINT"],
        region_name="us-east-1",
        # No retries at all (botocore's max_attempts counts retries, total_max_attempts counts every
        # attempt): a retried DeleteObjects would find its markers already gone and report them as
        # plain versions, hiding the first attempt's error behind a wrong-looking answer.
        config=Config(s3={"addressing_style": "path"}, retries={"total_max_attempts": 1, "mode": "standard"}, max_pool_connections=WORKERS),
    )
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    if s3.get_bucket_versioning(Bucket=bucket).get("Status") != "Enabled":
        fail("versioning is not Enabled after put_bucket_versioning")

    def write_key(i):
        """The key's writes one after another, so their order is known: [(version id, is marker, body)] oldest first."""
        key = key_of(i)
        written = []
        for n in range(VERSIONS_PER_KEY):
            body = f"{key} #{n}".encode()
            written.append((s3.put_object(Bucket=bucket, Key=key, Body=body)["VersionId"], False, body))
        if i % MARKER_EVERY == 0:
            deleted = s3.delete_object(Bucket=bucket, Key=key)
            if not deleted.get("DeleteMarker"):
                fail(f"delete_object of {key!r} did not report a delete marker")
            written.append((deleted["VersionId"], True, None))
        return key, written

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        history = dict(pool.map(write_key, range(KEY_COUNT)))
    all_ids = [vid for written in history.values() for vid, _, _ in written]
    if len(set(all_ids)) != len(all_ids) or "null" in all_ids:
        fail("version ids are not unique, or one is null in an Enabled bucket")

    # The listing S3 must give: keys in UTF-8 byte (= code point) order, each key's newest first.
    expected = [(key, vid, marker) for key in sorted(history) for vid, marker, _ in reversed(history[key])]
    position = {(key, vid): at for at, (key, vid, _) in enumerate(expected)}
    latest = {(key, history[key][-1][0]) for key in history}

    page_sizes, listed = [], []
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        versions = [(v["Key"], v["VersionId"], False, v["IsLatest"]) for v in page.get("Versions", [])]
        markers = [(m["Key"], m["VersionId"], True, m["IsLatest"]) for m in page.get("DeleteMarkers", [])]
        for entries, what in ((versions, "Versions"), (markers, "DeleteMarkers")):
            at = [position.get((key, vid), -1) for key, vid, _, _ in entries]
            if -1 in at:
                fail(f"{what} lists a version never written")
            if at != sorted(at):
                fail(f"{what} of page {len(page_sizes) + 1} is not in key order, newest first")
        # A page is one contiguous slice of the whole listing, wherever a key's versions are split.
        entries = sorted(versions + markers, key=lambda e: position[(e[0], e[1])])
        start = len(listed)
        if [(k, v, m) for k, v, m, _ in entries] != expected[start : start + len(entries)]:
            fail(f"page {len(page_sizes) + 1} is not the next {len(entries)} entries of the listing")
        for key, vid, marker, is_latest in entries:
            if is_latest != ((key, vid) in latest):
                fail(f"IsLatest of {key!r} {vid} is {is_latest}")
        page_sizes.append(len(entries))
        listed.extend(entries)
    if len(listed) != len(expected):
        fail(f"listed {len(listed)} versions and markers, wrote {len(expected)}")
    if sum(1 for e in listed if e[3]) != KEY_COUNT:
        fail("not exactly one IsLatest per key")

    # Old versions read back by id; a key behind a marker is gone without one.
    for key in sorted(history)[:: KEY_COUNT // 10]:
        for vid, marker, body in history[key]:
            if not marker and s3.get_object(Bucket=bucket, Key=key, VersionId=vid)["Body"].read() != body:
                fail(f"get_object {key!r} VersionId={vid} is not the body written")
    hidden = key_of(MARKER_EVERY)
    if error_of(lambda: s3.head_object(Bucket=bucket, Key=hidden))[0] != 404:
        fail(f"head_object of {hidden!r} behind a delete marker is not 404")

    not_empty = [error_of(lambda: s3.delete_bucket(Bucket=bucket))]

    # Every version and marker by id, one marker held back to the end.
    held = next((key, vid) for key, vid, marker in reversed(expected) if marker)
    to_delete = [(key, vid, marker) for key, vid, marker in expected if (key, vid) != held]
    deleted_per_batch = []
    for at in range(0, len(to_delete), BATCH):
        batch = to_delete[at : at + BATCH]
        result = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k, "VersionId": v} for k, v, _ in batch], "Quiet": False})
        if result.get("Errors"):
            fail(f"delete_objects errors: {result['Errors'][:3]}")
        deleted = result.get("Deleted", [])
        if sorted((d["Key"], d["VersionId"]) for d in deleted) != sorted((k, v) for k, v, _ in batch):
            fail(f"delete_objects reported {len(deleted)} deletions, not the {len(batch)} of the batch")
        # Deleting a delete marker by id says so: DeleteMarker true and its id as DeleteMarkerVersionId.
        markers_in_batch = {(k, v) for k, v, m in batch if m}
        said_marker = {(d["Key"], d["VersionId"]) for d in deleted if d.get("DeleteMarker")}
        if said_marker != markers_in_batch or any(d["DeleteMarkerVersionId"] != d["VersionId"] for d in deleted if d.get("DeleteMarker")):
            wrong = [d for d in deleted if ((d["Key"], d["VersionId"]) in markers_in_batch) != bool(d.get("DeleteMarker"))][:3]
            left = sum(len(p.get("Versions", [])) + len(p.get("DeleteMarkers", [])) for p in s3.get_paginator("list_object_versions").paginate(Bucket=bucket))
            fail(f"delete_objects did not report exactly the {len(markers_in_batch)} delete markers of the batch as DeleteMarker ({left} versions and markers left after this batch): {wrong}")
        deleted_per_batch.append(len(deleted))

    remaining = s3.list_object_versions(Bucket=bucket)
    left = [(m["Key"], m["VersionId"]) for m in remaining.get("DeleteMarkers", [])]
    if remaining.get("Versions") or left != [held]:
        fail(f"expected only the held-back marker left, got {len(remaining.get('Versions', []))} versions and markers {left[:3]}")
    # A delete marker alone still makes the bucket not empty.
    not_empty.append(error_of(lambda: s3.delete_bucket(Bucket=bucket)))

    last = s3.delete_object(Bucket=bucket, Key=held[0], VersionId=held[1])
    if not last.get("DeleteMarker") or last.get("VersionId") != held[1]:
        fail(f"delete_object of the last marker reported {last}")
    deleted_per_batch.append(1)
    after = s3.list_object_versions(Bucket=bucket)
    s3.delete_bucket(Bucket=bucket)
    gone = error_of(lambda: s3.head_bucket(Bucket=bucket))

    print(json.dumps({
        "versions": sum(1 for e in expected if not e[2]),
        "markers": sum(1 for e in expected if e[2]),
        "pages": page_sizes,
        "latest": sum(1 for e in listed if e[3]),
        "not_empty": [list(e) for e in not_empty],
        "deleted": deleted_per_batch,
        "remaining": len(after.get("Versions", [])) + len(after.get("DeleteMarkers", [])),
        "after_delete_bucket": list(gone),
    }))


if __name__ == "__main__":
    main()
