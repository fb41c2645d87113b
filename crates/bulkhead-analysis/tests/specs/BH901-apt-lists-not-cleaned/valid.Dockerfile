# syntax=docker/dockerfile:1
FROM debian:bookworm-slim AS build
RUN apt-get update && apt-get install -y gcc

FROM debian:bookworm-slim
RUN --mount=type=cache,target=/var/lib/apt/lists,sharing=locked \
    --mount=type=cache,target=/var/cache/apt \
    apt-get update && apt-get install -y --no-install-recommends curl
RUN --mount=type=tmpfs,target=/var/lib/apt apt-get update && apt-get install -y --no-install-recommends jq
RUN apt-get update && apt-get install -y --no-install-recommends wget && rm -rf /var/lib/apt/lists/*
RUN set -eux; apt-get update; apt-get install -y --no-install-recommends git; apt-get dist-clean
RUN echo "apt-get update && apt-get install -y x"
RUN apt-get install -y --no-install-recommends ca-certificates
