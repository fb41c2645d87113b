# Exec form runs one command: a refresh in it is always alone.
FROM debian:bookworm-slim
RUN ["apt-get", "update"]
RUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*

FROM alpine:3.20
RUN ["/sbin/apk", "update"]
RUN ["apk", "add", "--no-cache", "jq"]

FROM debian:bookworm-slim
RUN ["apt-get", "-o", "Acquire::http::Proxy=http://proxy lan", "update"]
RUN apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*
