# check=skip=FromPlatformFlagConstDisallowed,RedundantTargetPlatform
FROM --platform=$TARGETPLATFORM alpine:3.20 AS tools
FROM --platform=linux/amd64 python:3.12-slim
