# check=skip=FromPlatformFlagConstDisallowed
# Skipping BuildKit's FromPlatformFlagConstDisallowed silences the constant platform only:
# `--platform=$TARGETPLATFORM` is BuildKit's RedundantTargetPlatform, still reported.
FROM --platform=$TARGETPLATFORM alpine:3.20 AS tools
FROM --platform=linux/amd64 python:3.12-slim
