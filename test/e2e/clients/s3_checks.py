"""What the boto3 client scripts share: a client for SEDIMENT_ENDPOINT with no retries (a
retried request would hide the first attempt's answer), and the checks that end a script with
a reason on stderr and exit code 1."""
import os
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def client(**config):
    """boto3's S3 client for Sediment, path-style, one attempt per request."""
    return boto3.client(
        "s3",
        endpoint_url=os.environ["SEDIMENT_ENDPOINT"],
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}, retries={"total_max_attempts": 1, "mode": "standard"}, **config),
    )


def fail(script, reason):
    print(f"{script}: {reason}", file=sys.stderr)
    sys.exit(1)


def error_of(script, call):
    """(status, code) of the ClientError call() raises; fails when it succeeds."""
    try:
        call()
    except ClientError as error:
        return error.response["ResponseMetadata"]["HTTPStatusCode"], error.response["Error"]["Code"]
    fail(script, "expected an error, the call succeeded")
