# hadolint's DL3029 is about every `FROM --platform`: it silences both kinds of finding.
# hadolint ignore=DL3029
FROM --platform=$TARGETPLATFORM alpine:3.20 AS tools
# hadolint ignore=DL3029
FROM --platform=linux/amd64 python:3.12-slim
