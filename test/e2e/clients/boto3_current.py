"""A current boto3 (from PyPI, as scripts/install.sh installs it) against Sediment with its default
settings: since 1.36 it sends a CRC checksum with every upload (as a trailer of an aws-chunked body
where it can), and it speaks conditional writes. Runs each step in order and checks what S3 answers.

Usage: boto3_current.py <bucket>; SEDIMENT_ENDPOINT, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
from the environment. Prints one JSON summary line on success; on a failed check prints the reason
to stderr and exits 1 (an unexpected S3 error exits 1 with botocore's traceback).
"""
import base64
import hashlib
import io
import json
import os
import sys
import zlib

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError

from client_checks import check, error_of, fail


def b64(digest):
    return base64.b64encode(digest).decode()


def crc32_of(data):
    return b64(zlib.crc32(data).to_bytes(4, "big"))


bucket = sys.argv[1]
s3 = boto3.client(
    "s3",
    endpoint_url=os.environ["SEDIMENT_ENDPOINT"],
    region_name="us-east-1",
    config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
)
summary = {"boto3": boto3.__version__}

# 1. A plain put_object: the SDK's default CRC32 is checked and kept, and returned on request.
body = b"written by a current boto3\n" * 100
put = s3.put_object(Bucket=bucket, Key="default-checksum.txt", Body=body)
check(put.get("ChecksumCRC32") == crc32_of(body), f"PutObject answered ChecksumCRC32 {put.get('ChecksumCRC32')}, not {crc32_of(body)}")
got = s3.get_object(Bucket=bucket, Key="default-checksum.txt", ChecksumMode="ENABLED")
check(got["Body"].read() == body, "GetObject returned other bytes")
check(got.get("ChecksumCRC32") == crc32_of(body), f"GetObject answered ChecksumCRC32 {got.get('ChecksumCRC32')}")
summary["defaultChecksum"] = put["ChecksumCRC32"]

# 2. Each algorithm the SDK offers, chosen explicitly; HEAD returns the stored value.
for algorithm in ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"]:
    key = f"checksum-{algorithm.lower()}.bin"
    data = os.urandom(70_000)
    answer = s3.put_object(Bucket=bucket, Key=key, Body=data, ChecksumAlgorithm=algorithm)
    sent = answer.get(f"Checksum{algorithm}")
    check(sent is not None, f"PutObject with {algorithm} answered no Checksum{algorithm}")
    head = s3.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
    check(head.get(f"Checksum{algorithm}") == sent, f"HeadObject answered {head.get(f'Checksum{algorithm}')} for {algorithm}, PUT said {sent}")
    if algorithm == "SHA256":
        check(sent == b64(hashlib.sha256(data).digest()), "the SHA256 Sediment kept is not the data's")
summary["algorithms"] = 5

# 3. Conditional writes: If-None-Match: * creates once; If-Match takes only the current ETag.
first = s3.put_object(Bucket=bucket, Key="conditional.txt", Body=b"one", IfNoneMatch="*")
status, code = error_of(lambda: s3.put_object(Bucket=bucket, Key="conditional.txt", Body=b"two", IfNoneMatch="*"))
check((status, code) == (412, "PreconditionFailed"), f"a second If-None-Match: * PUT answered {status} {code}")
status, code = error_of(lambda: s3.put_object(Bucket=bucket, Key="conditional.txt", Body=b"two", IfMatch='"0123456789abcdef0123456789abcdef"'))
check((status, code) == (412, "PreconditionFailed"), f"If-Match with another ETag answered {status} {code}")
second = s3.put_object(Bucket=bucket, Key="conditional.txt", Body=b"two", IfMatch=first["ETag"])
check(s3.get_object(Bucket=bucket, Key="conditional.txt")["Body"].read() == b"two", "the If-Match PUT did not replace the object")
status, code = error_of(lambda: s3.put_object(Bucket=bucket, Key="conditional.txt", Body=b"three", IfMatch=first["ETag"]))
check((status, code) == (412, "PreconditionFailed"), f"If-Match with the replaced ETag answered {status} {code}")
status, code = error_of(lambda: s3.put_object(Bucket=bucket, Key="never-written.txt", Body=b"x", IfMatch=second["ETag"]))
check((status, code) == (404, "NoSuchKey"), f"If-Match on a missing key answered {status} {code}")
summary["conditional"] = "ok"

# 4. A multipart upload through the transfer manager, with the SDK's per-part checksums.
big = os.urandom(12 * 1024 * 1024 + 12345)
transfer = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024, max_concurrency=3)
s3.upload_fileobj(io.BytesIO(big), bucket, "multipart.bin", Config=transfer)
head = s3.head_object(Bucket=bucket, Key="multipart.bin", ChecksumMode="ENABLED")
check(head["ContentLength"] == len(big), f"the multipart object is {head['ContentLength']} bytes, not {len(big)}")
check(head["ETag"].endswith('-3"'), f"the multipart object's ETag {head['ETag']} does not name 3 parts")
out = io.BytesIO()
s3.download_fileobj(bucket, "multipart.bin", out)
check(out.getvalue() == big, "the multipart object came back with other bytes")
summary["multipartChecksum"] = {k: v for k, v in head.items() if k.startswith("Checksum")}

# 5. DeleteObjects, which S3 requires a checksum on: the SDK now sends a CRC instead of Content-MD5.
keys = [{"Key": k} for k in ["default-checksum.txt", "conditional.txt", "multipart.bin"]]
deleted = s3.delete_objects(Bucket=bucket, Delete={"Objects": keys})
check(len(deleted.get("Deleted", [])) == 3 and not deleted.get("Errors"), f"DeleteObjects answered {deleted}")
left = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
check(sorted(left) == sorted(f"checksum-{a.lower()}.bin" for a in ["CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"]), f"left after DeleteObjects: {left}")
summary["deleteObjects"] = 3

print(json.dumps(summary))
