"""boto3 signing with AWS Signature Version 2, as older SDKs do: Debian 12's boto3 presigns URLs
with it by default, and signature_version="s3" makes every request use it.

Usage: boto3_sigv2.py <bucket>; SEDIMENT_ENDPOINT, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from
the environment. Prints one JSON line: what each step saw (status codes, bodies, the signature
version of the presigned URL).
"""
import json
import os
import sys
import urllib.error
import urllib.request

import boto3
from botocore.config import Config

bucket = sys.argv[1]
endpoint = os.environ["SEDIMENT_ENDPOINT"]


def client(**config):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1, "mode": "standard"}, **config),
    )


def fetch(url):
    try:
        with urllib.request.urlopen(url) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


v2 = client(signature_version="s3")
# Sub-resource calls are left out: this botocore signs their resource with the sub-resource twice
# (`/b/k?tagging?tagging`), a client bug no server could match.
v2.put_object(Bucket=bucket, Key="notes/v2 key.txt", Body=b"signed with v2", ContentType="text/plain", Metadata={"who": "boto3"})
got = v2.get_object(Bucket=bucket, Key="notes/v2 key.txt")
listed = v2.list_objects(Bucket=bucket, Prefix="notes/")

# The default client's presigned URL: SigV2 in this boto3 unless it is told otherwise.
default_url = client().generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "notes/v2 key.txt"}, ExpiresIn=300)
v2_url = v2.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "notes/v2 key.txt"}, ExpiresIn=300)
tampered = v2_url.replace("v2%20key", "v3%20key")

print(json.dumps({
    "get": [got["Body"].read().decode(), got["ContentType"], got["Metadata"]],
    "listed": [o["Key"] for o in listed.get("Contents", [])],
    "default_url_is_v2": "AWSAccessKeyId=" in default_url,
    "presigned": fetch(v2_url),
    "tampered": fetch(tampered)[0],
}))
