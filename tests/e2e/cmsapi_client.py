"""cmsapi_client.py: a Decap CMS local-backend client for tests/e2e/test_cms_api.sh.
usage: cmsapi_client.py URL ACTION PARAMS_JSON [--host H] [--origin O] [--ctype T] [--method M]
Prints "STATUS BODY" (the body as the server sent it)."""
import http.client
import json
import sys
import urllib.parse

url, action, params = sys.argv[1], sys.argv[2], sys.argv[3]
opts = dict(zip(sys.argv[4::2], sys.argv[5::2]))
u = urllib.parse.urlsplit(url)
body = params if action == "-raw" else json.dumps({"action": action, "params": json.loads(params)})
c = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
headers = {"Content-Type": opts.get("--ctype", "application/json"),
           "Host": opts.get("--host", u.netloc)}
if "--origin" in opts:
    headers["Origin"] = opts["--origin"]
c.request(opts.get("--method", "POST"), u.path, body=body.encode("utf-8", "surrogateescape"), headers=headers)
r = c.getresponse()
print(r.status, r.read().decode("utf-8", "replace"))
