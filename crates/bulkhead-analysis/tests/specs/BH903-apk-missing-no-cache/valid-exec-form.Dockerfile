# Exec form with --no-cache, a cache mount, or not an install at all.
FROM alpine:3.20
RUN ["apk", "add", "--no-cache", "curl"]
RUN --mount=type=cache,target=/var/cache/apk ["apk", "add", "jq"]
RUN ["apk", "del", "curl"]
RUN ["echo", "apk", "add", "curl"]
RUN []
