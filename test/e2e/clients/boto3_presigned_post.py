"""boto3's generate_presigned_post: the URL and form fields a browser posts a file with.

Usage: boto3_presigned_post.py <bucket> <key> <s3v4|default> <fields json> <conditions json>;
SEDIMENT_ENDPOINT, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment. "default"
lets this boto3 choose the signature (SigV2 for the boto3 Debian 12 ships). Prints {url, fields}.
"""
import json
import os
import sys

import boto3
from botocore.config import Config

bucket, key, version, fields, conditions = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4]), json.loads(sys.argv[5])
config = {"s3": {"addressing_style": "path"}}
if version == "s3v4":
    config["signature_version"] = "s3v4"
client = boto3.client("s3", endpoint_url=os.environ["SEDIMENT_ENDPOINT"], region_name="us-east-1", config=Config(**config))
print(json.dumps(client.generate_presigned_post(bucket, key, Fields=fields, Conditions=conditions, ExpiresIn=300)))
