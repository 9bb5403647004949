"""Bucket lifecycle with boto3: put a configuration (boto3 sends its Content-MD5), read it back
as boto3 parses it, see x-amz-expiration as boto3's `Expiration` on put_object and head_object,
wait for the worker to expire an object (the service runs with a short lifecycle "day"), then
delete the configuration and get NoSuchLifecycleConfiguration.

Usage: boto3_lifecycle.py <bucket>; SEDIMENT_ENDPOINT, AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY from the environment. Prints one JSON summary line; on a failed check
prints the reason to stderr and exits 1.
"""
import json
import re
import sys
import time

from botocore.exceptions import ClientError

from client_checks import fail, s3_client

DEADLINE_SECONDS = 60


def error_code(call):
    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Code"]
    return None


def main():
    bucket = sys.argv[1]
    s3 = s3_client()
    s3.create_bucket(Bucket=bucket)
    rules = [
        {"ID": "scratch", "Status": "Enabled", "Filter": {"Prefix": "scratch/"}, "Expiration": {"Days": 1}},
        {
            "ID": "uploads",
            "Status": "Enabled",
            "Filter": {"Prefix": ""},
            "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 30},
            "NoncurrentVersionExpiration": {"NoncurrentDays": 10},
        },
    ]
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": rules})
    read = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    if [r["ID"] for r in read] != ["scratch", "uploads"]:
        fail(f"rules read back: {read}")
    if read[0].get("Expiration") != {"Days": 1} or read[0].get("Filter") != {"Prefix": "scratch/"}:
        fail(f"first rule read back: {read[0]}")
    if read[1].get("AbortIncompleteMultipartUpload") != {"DaysAfterInitiation": 30}:
        fail(f"second rule read back: {read[1]}")

    put = s3.put_object(Bucket=bucket, Key="scratch/tmp.txt", Body=b"short-lived")
    header = re.compile(r'^expiry-date="[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT", rule-id="scratch"$')
    if not header.match(put.get("Expiration", "")):
        fail(f"put_object Expiration: {put.get('Expiration')!r}")
    if s3.head_object(Bucket=bucket, Key="scratch/tmp.txt").get("Expiration") != put["Expiration"]:
        fail("head_object does not say the same Expiration as put_object")
    s3.put_object(Bucket=bucket, Key="kept.txt", Body=b"stays")
    if "Expiration" in s3.head_object(Bucket=bucket, Key="kept.txt"):
        fail("an object no Expiration rule selects has an Expiration")

    deadline = time.monotonic() + DEADLINE_SECONDS
    while error_code(lambda: s3.head_object(Bucket=bucket, Key="scratch/tmp.txt")) != "404":
        if time.monotonic() > deadline:
            fail("scratch/tmp.txt was not expired")
        time.sleep(0.2)
    left = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    if left != ["kept.txt"]:
        fail(f"objects left: {left}")

    s3.delete_bucket_lifecycle(Bucket=bucket)
    missing = error_code(lambda: s3.get_bucket_lifecycle_configuration(Bucket=bucket))
    if missing != "NoSuchLifecycleConfiguration":
        fail(f"after delete_bucket_lifecycle: {missing}")
    refused = error_code(
        lambda: s3.put_bucket_lifecycle_configuration(
            Bucket=bucket, LifecycleConfiguration={"Rules": [{"ID": "x", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 0}}]}
        )
    )
    print(json.dumps({"rules": len(read), "expired": "scratch/tmp.txt", "left": left, "afterDelete": missing, "daysZero": refused}))


if __name__ == "__main__":
    main()
