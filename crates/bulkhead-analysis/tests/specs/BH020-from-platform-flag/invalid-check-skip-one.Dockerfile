# check=skip=RedundantTargetPlatform
# Skipping BuildKit's RedundantTargetPlatform silences `--platform=$TARGETPLATFORM` only: a constant
# platform is BuildKit's FromPlatformFlagConstDisallowed, still reported.
FROM --platform=$TARGETPLATFORM alpine:3.20 AS tools
FROM --platform=linux/amd64 python:3.12-slim
