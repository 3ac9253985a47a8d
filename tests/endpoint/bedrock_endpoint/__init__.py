"""Local Bedrock test endpoint: moto's server plus the model-copy-job API, fault injection and a control API.

Test-only code; nothing here ships in the collection. See tests/endpoint/README.md.
"""

from __future__ import annotations

DEFAULT_ACCOUNT_ID = "123456789012"
