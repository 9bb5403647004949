"""What the client scripts share: the S3 client for SEDIMENT_ENDPOINT, a failed check that ends
the script with its reason on stderr, and the (status, code) of the S3 error a call must raise."""
import os
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

SCRIPT = os.path.splitext(os.path.basename(sys.argv[0]))[0]


def fail(reason):
    print(f"{SCRIPT}: {reason}", file=sys.stderr)
    sys.exit(1)


def check(condition, reason):
    if not condition:
        fail(reason)


def error_of(call):
    """(status, code) of the ClientError call() raises; fails when it succeeds."""
    try:
        call()
    except ClientError as error:
        return error.response["ResponseMetadata"]["HTTPStatusCode"], error.response["Error"]["Code"]
    fail("expected an error, got a success")


def s3_client():
    """Path-style, no retries (a retry could hide the first answer), credentials from the environment."""
    return boto3.client(
        "s3",
        endpoint_url=os.environ["SEDIMENT_ENDPOINT"],
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )
