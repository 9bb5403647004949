"""The current boto3 signed with another account's root keys (issue #14, section 2), and a browser
form upload built from its generate_presigned_post (section 4).

Usage: boto3_current_accounts.py <bucket of the default account> <account id of the caller>;
SEDIMENT_ENDPOINT, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (the other account's root) from the
environment. Prints one JSON summary line on success; on a failed check prints the reason to
stderr and exits 1.
"""
import json
import os
import sys
import urllib.request
import uuid


from client_checks import check, error_of, s3_client

others, account = sys.argv[1], sys.argv[2]
s3 = s3_client()
summary = {}

# Names are global: another account's name is taken, and its bucket is closed to us.
check(error_of(lambda: s3.create_bucket(Bucket=others)) == (409, "BucketAlreadyExists"), "another account's bucket name was not refused")
check(error_of(lambda: s3.list_objects_v2(Bucket=others)) == (403, "AccessDenied"), "another account's bucket was listed")
mine = f"{others}-b"
s3.create_bucket(Bucket=mine)
check(error_of(lambda: s3.create_bucket(Bucket=mine)) == (409, "BucketAlreadyOwnedByYou"), "our own bucket name was not BucketAlreadyOwnedByYou")
listed = [b["Name"] for b in s3.list_buckets()["Buckets"]]
check(listed == [mine], f"ListBuckets of the account shows {listed}")
s3.head_bucket(Bucket=mine, ExpectedBucketOwner=account)
check(error_of(lambda: s3.head_bucket(Bucket=mine, ExpectedBucketOwner="000000000000"))[0] == 403, "a wrong expected bucket owner was accepted")
summary["buckets"] = listed

# A form upload as a browser sends it, from the policy and fields the SDK signs.
post = s3.generate_presigned_post(mine, "uploads/${filename}", Fields={"success_action_status": "201"}, Conditions=[{"success_action_status": "201"}, ["content-length-range", 1, 1024]], ExpiresIn=300)
boundary = uuid.uuid4().hex
parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode() for name, value in post["fields"].items()]
parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="hello.txt"\r\nContent-Type: text/plain\r\n\r\n'.encode() + b"posted by a form\r\n")
body = b"".join(parts) + f"--{boundary}--\r\n".encode()
request = urllib.request.Request(post["url"], data=body, method="POST", headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
with urllib.request.urlopen(request) as answer:
    check(answer.status == 201, f"the form upload answered {answer.status}")
    check(b"<Key>uploads/hello.txt</Key>" in answer.read(), "the 201 answer does not name the key")
check(s3.get_object(Bucket=mine, Key="uploads/hello.txt")["Body"].read() == b"posted by a form", "the posted file came back with other bytes")
summary["postObject"] = 201

print(json.dumps(summary))
