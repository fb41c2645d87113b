FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN apt-get update \
    # upgrade too
    && apt-get upgrade -y
RUN <<EOF
apt-get update
apt-get install -y jq
EOF
FROM alpine:3.20
RUN apk update && apk add curl
FROM rockylinux:9
RUN dnf makecache && dnf install -y nginx
