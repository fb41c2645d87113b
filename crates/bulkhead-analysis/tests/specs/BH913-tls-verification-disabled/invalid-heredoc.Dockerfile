# syntax=docker/dockerfile:1
FROM python:3.12-slim
RUN <<EOF
set -eux
pip install --trusted-host pypi.org --no-cache-dir requests
curl -k https://example.com
EOF
