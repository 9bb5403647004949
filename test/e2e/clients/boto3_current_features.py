"""The current boto3 (from PyPI) against the features of issue #14 that older clients cannot reach
or send differently: Object Ownership and the public access block, lifecycle rules (the service
runs with a two-second lifecycle day), Object Lock with the CRC checksum the SDK adds, system
metadata (Cache-Control, Expires, …), bucket tagging, GetObjectAttributes and ListBuckets pages. Each step checks what S3 answers.

Usage: boto3_current_features.py <bucket-prefix>; SEDIMENT_ENDPOINT, AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY from the environment. Prints one JSON summary line on success; on a failed
check prints the reason to stderr and exits 1.
"""
import json
import os
import sys
import time
from datetime import datetime, timedelta, timezone

from botocore.exceptions import ClientError

from client_checks import check, error_of, fail, s3_client


prefix = sys.argv[1]
s3 = s3_client()
summary = {}

# Object Ownership and the public access block.
acls = f"{prefix}-acls"
s3.create_bucket(Bucket=acls)
rules = s3.get_bucket_ownership_controls(Bucket=acls)["OwnershipControls"]["Rules"]
check(rules == [{"ObjectOwnership": "BucketOwnerEnforced"}], f"a new bucket's ownership controls are {rules}")
check(error_of(lambda: s3.put_bucket_acl(Bucket=acls, ACL="public-read")) == (400, "AccessControlListNotSupported"), "a public ACL was not refused")
block = {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": False}
s3.put_public_access_block(Bucket=acls, PublicAccessBlockConfiguration=block)
got = s3.get_public_access_block(Bucket=acls)["PublicAccessBlockConfiguration"]
check(got == block, f"GetPublicAccessBlock answered {got}")
public = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{acls}/*"}]}
check(error_of(lambda: s3.put_bucket_policy(Bucket=acls, Policy=json.dumps(public))) == (403, "AccessDenied"), "a public policy was not refused")
s3.delete_public_access_block(Bucket=acls)
check(error_of(lambda: s3.get_public_access_block(Bucket=acls)) == (404, "NoSuchPublicAccessBlockConfiguration"), "the block outlived its deletion")
summary["ownership"] = rules[0]["ObjectOwnership"]

# Lifecycle: objects under tmp/ expire after one (two-second) day; the others stay.
lifecycle = f"{prefix}-lifecycle"
s3.create_bucket(Bucket=lifecycle)
s3.put_bucket_lifecycle_configuration(
    Bucket=lifecycle,
    LifecycleConfiguration={"Rules": [{"ID": "tmp", "Status": "Enabled", "Filter": {"Prefix": "tmp/"}, "Expiration": {"Days": 1}}]},
)
configured = s3.get_bucket_lifecycle_configuration(Bucket=lifecycle)["Rules"]
check([r["ID"] for r in configured] == ["tmp"], f"GetBucketLifecycleConfiguration answered {configured}")
put = s3.put_object(Bucket=lifecycle, Key="tmp/scratch.txt", Body=b"short-lived")
check('rule-id="tmp"' in put.get("Expiration", ""), f"PutObject answered Expiration {put.get('Expiration')!r}")
s3.put_object(Bucket=lifecycle, Key="keep/notes.txt", Body=b"kept")
deadline = time.monotonic() + 120
while True:
    try:
        s3.head_object(Bucket=lifecycle, Key="tmp/scratch.txt")
    except ClientError as error:
        check(error.response["Error"]["Code"] == "404", f"HEAD of the expiring object answered {error.response['Error']}")
        break
    check(time.monotonic() < deadline, "tmp/scratch.txt did not expire within 120 s of a two-second day")
    time.sleep(0.5)
check(s3.get_object(Bucket=lifecycle, Key="keep/notes.txt")["Body"].read() == b"kept", "the rule expired an object outside its prefix")
summary["lifecycle"] = "expired"

# Object Lock: a GOVERNANCE retention the root can bypass, and a legal hold that no bypass lifts.
vault = f"{prefix}-vault"
s3.create_bucket(Bucket=vault, ObjectLockEnabledForBucket=True)
until = (datetime.now(timezone.utc) + timedelta(days=1)).replace(microsecond=0)
locked = s3.put_object(Bucket=vault, Key="ledger.db", Body=b"entries", ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=until)
version = locked["VersionId"]
retention = s3.get_object_retention(Bucket=vault, Key="ledger.db", VersionId=version)["Retention"]
check(retention["Mode"] == "GOVERNANCE" and retention["RetainUntilDate"] == until, f"GetObjectRetention answered {retention}")
check(error_of(lambda: s3.delete_object(Bucket=vault, Key="ledger.db", VersionId=version)) == (403, "AccessDenied"), "a retained version was deleted")
s3.put_object_legal_hold(Bucket=vault, Key="ledger.db", VersionId=version, LegalHold={"Status": "ON"})
check(s3.get_object_legal_hold(Bucket=vault, Key="ledger.db", VersionId=version)["LegalHold"]["Status"] == "ON", "the legal hold is not ON")
bypass = lambda: s3.delete_object(Bucket=vault, Key="ledger.db", VersionId=version, BypassGovernanceRetention=True)
check(error_of(bypass) == (403, "AccessDenied"), "the bypass lifted a legal hold")
s3.put_object_legal_hold(Bucket=vault, Key="ledger.db", VersionId=version, LegalHold={"Status": "OFF"})
bypass()
check(error_of(lambda: s3.head_object(Bucket=vault, Key="ledger.db", VersionId=version))[0] == 404, "the bypassed version is still there")
summary["objectLock"] = "governance bypassed once the hold was off"

# System metadata: Cache-Control, Content-Disposition, Content-Encoding, Content-Language and Expires
# kept by PutObject, sent back by HEAD and GET (response-* overrides winning), kept or replaced by a copy.
expires = datetime(2094, 12, 1, 16, 0, tzinfo=timezone.utc)
sent = {"CacheControl": "max-age=3600", "ContentDisposition": 'attachment; filename="page.html"', "ContentEncoding": "gzip", "ContentLanguage": "en"}
s3.put_object(Bucket=lifecycle, Key="keep/page.html", Body=b"<p>hi</p>", Expires=expires, **sent)
head = s3.head_object(Bucket=lifecycle, Key="keep/page.html")
check({k: head.get(k) for k in sent} == sent, f"HeadObject answered {head}")
check(head.get("ExpiresString") == "Wed, 01 Dec 2094 16:00:00 GMT" and head.get("Expires") == expires, f"HeadObject's Expires is {head.get('ExpiresString')}")
got = s3.get_object(Bucket=lifecycle, Key="keep/page.html", ResponseCacheControl="no-store", ResponseContentLanguage="de")
check((got["CacheControl"], got["ContentLanguage"], got["ContentDisposition"]) == ("no-store", "de", sent["ContentDisposition"]), f"GetObject with overrides answered {got}")
source = {"Bucket": lifecycle, "Key": "keep/page.html"}
s3.copy_object(Bucket=lifecycle, Key="keep/page-copy.html", CopySource=source)
copied = s3.head_object(Bucket=lifecycle, Key="keep/page-copy.html")
check({k: copied.get(k) for k in sent} == sent and copied.get("ExpiresString") == head["ExpiresString"], f"a COPY copy has {copied}")
s3.copy_object(Bucket=lifecycle, Key="keep/page-replaced.html", CopySource=source, MetadataDirective="REPLACE", CacheControl="no-cache")
replaced = s3.head_object(Bucket=lifecycle, Key="keep/page-replaced.html")
check(replaced.get("CacheControl") == "no-cache" and not any(k in replaced for k in ["ContentDisposition", "ContentEncoding", "ContentLanguage", "ExpiresString"]), f"a REPLACE copy has {replaced}")
summary["systemMetadata"] = sorted(sent) + ["Expires"]

# Bucket tagging, GetObjectAttributes, ListBuckets pages.
s3.put_bucket_tagging(Bucket=lifecycle, Tagging={"TagSet": [{"Key": "team", "Value": "data"}]})
check(s3.get_bucket_tagging(Bucket=lifecycle)["TagSet"] == [{"Key": "team", "Value": "data"}], "the bucket's tags did not come back")
attributes = s3.get_object_attributes(Bucket=lifecycle, Key="keep/notes.txt", ObjectAttributes=["ETag", "ObjectSize", "Checksum", "StorageClass"])
check(attributes["ObjectSize"] == 4 and attributes["StorageClass"] == "STANDARD", f"GetObjectAttributes answered {attributes}")
check("ChecksumCRC32" in attributes.get("Checksum", {}), f"GetObjectAttributes has no CRC32 of the SDK's upload: {attributes.get('Checksum')}")
names, token = [], None
while True:
    page = s3.list_buckets(MaxBuckets=1, Prefix=prefix, **({"ContinuationToken": token} if token else {}))
    names += [b["Name"] for b in page["Buckets"]]
    token = page.get("ContinuationToken")
    if not token:
        break
check(names == sorted([acls, lifecycle, vault]), f"ListBuckets pages of one gave {names}")
summary["listBucketsPages"] = len(names)

print(json.dumps(summary))
