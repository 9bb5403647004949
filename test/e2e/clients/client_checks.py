"""What the client scripts share: a failed check ends the script with its reason on stderr, and
the (status, code) of the S3 error a call must raise."""
import os
import sys

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
