"""boto3 against Sediment's Object Lock: a bucket created with ObjectLockEnabledForBucket, a
default retention (botocore's Content-MD5 meets a locked PUT's integrity requirement), explicit retention and
legal hold, the refusals S3 answers, and the governance bypass.

Usage: boto3_object_lock.py <bucket>; SEDIMENT_ENDPOINT, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
from the environment. Prints {"checks": N} on success; on a failed check prints the reason to
stderr and exits 1.
"""
import json
import sys
from datetime import datetime, timedelta, timezone

# Importing the helper beside it must not leave a __pycache__ in the source tree.
sys.dont_write_bytecode = True
import s3_checks  # noqa: E402

SCRIPT = "boto3_object_lock"
checks = 0


def check(condition, reason):
    global checks
    if not condition:
        s3_checks.fail(SCRIPT, reason)
    checks += 1


def error_of(call):
    return s3_checks.error_of(SCRIPT, call)


def main():
    bucket = sys.argv[1]
    s3 = s3_checks.client()
    s3.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True)
    check(s3.get_bucket_versioning(Bucket=bucket).get("Status") == "Enabled", "a lock bucket is not versioned")
    s3.put_object_lock_configuration(
        Bucket=bucket,
        ObjectLockConfiguration={"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 2}}},
    )
    rule = s3.get_object_lock_configuration(Bucket=bucket)["ObjectLockConfiguration"]["Rule"]["DefaultRetention"]
    check(rule == {"Mode": "GOVERNANCE", "Days": 2}, f"default retention read back as {rule}")

    # Under a default retention S3 wants Content-MD5 or a checksum: botocore sends Content-MD5.
    version = s3.put_object(Bucket=bucket, Key="db.dump", Body=b"v1")["VersionId"]
    head = s3.head_object(Bucket=bucket, Key="db.dump")
    days = (head["ObjectLockRetainUntilDate"] - datetime.now(timezone.utc)).total_seconds() / 86400
    check(head["ObjectLockMode"] == "GOVERNANCE" and 1.9 < days <= 2, f"default retention on the version: {head.get('ObjectLockMode')} {days}")

    until = (datetime.now(timezone.utc) + timedelta(days=5)).replace(microsecond=0)
    s3.put_object_retention(Bucket=bucket, Key="db.dump", VersionId=version, Retention={"Mode": "GOVERNANCE", "RetainUntilDate": until})
    retention = s3.get_object_retention(Bucket=bucket, Key="db.dump", VersionId=version)["Retention"]
    check(retention == {"Mode": "GOVERNANCE", "RetainUntilDate": until}, f"retention read back as {retention}")

    s3.put_object_legal_hold(Bucket=bucket, Key="db.dump", VersionId=version, LegalHold={"Status": "ON"})
    check(
        error_of(lambda: s3.delete_object(Bucket=bucket, Key="db.dump", VersionId=version, BypassGovernanceRetention=True)) == (403, "AccessDenied"),
        "a version under legal hold was deleted with the bypass",
    )
    s3.put_object_legal_hold(Bucket=bucket, Key="db.dump", VersionId=version, LegalHold={"Status": "OFF"})
    check(error_of(lambda: s3.delete_object(Bucket=bucket, Key="db.dump", VersionId=version)) == (403, "AccessDenied"), "a GOVERNANCE version was deleted without the bypass")
    s3.delete_object(Bucket=bucket, Key="db.dump", VersionId=version, BypassGovernanceRetention=True)
    check(s3.list_object_versions(Bucket=bucket).get("Versions", []) == [], "the bypassed version is still listed")

    locked = s3.put_object(
        Bucket=bucket,
        Key="audit.log",
        Body=b"line",
        ChecksumAlgorithm="CRC32",
        ObjectLockMode="COMPLIANCE",
        ObjectLockRetainUntilDate=until,
    )["VersionId"]
    got = s3.get_object(Bucket=bucket, Key="audit.log", VersionId=locked)
    check(got["ObjectLockMode"] == "COMPLIANCE" and got["ObjectLockRetainUntilDate"] == until, f"lock headers on GET: {got.get('ObjectLockMode')}")
    shorter = until - timedelta(days=1)
    check(
        error_of(lambda: s3.put_object_retention(Bucket=bucket, Key="audit.log", VersionId=locked, BypassGovernanceRetention=True, Retention={"Mode": "COMPLIANCE", "RetainUntilDate": shorter}))
        == (403, "AccessDenied"),
        "a COMPLIANCE retention was shortened",
    )
    print(json.dumps({"checks": checks}))


if __name__ == "__main__":
    main()
