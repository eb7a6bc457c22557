"""Schemathesis hooks for the API checks (tests/api/README.md).

The exercise definition is sent as TOML (`application/toml`), a media type Schemathesis has no
serializer for. The document describes that body as a string (the TOML text), so the generated
value is sent as that text, UTF-8 encoded, as its `text/plain` serializer does.
"""

import json

import schemathesis


@schemathesis.serializer("application/toml")
def toml_serializer(ctx, value):
    if isinstance(value, bytes):
        return {"data": value}
    if isinstance(value, str):
        return {"data": value.encode("utf-8")}
    # A value of another type (a negative case): send it as its JSON text, as text would be.
    return {"data": json.dumps(value).encode("utf-8")}
