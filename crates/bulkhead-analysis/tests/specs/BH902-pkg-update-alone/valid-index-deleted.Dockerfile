# A refresh whose index the same step deletes again leaves nothing stale in the layer.
FROM debian:bookworm-slim
RUN apt-get update && rm -rf /var/lib/apt/lists/*
RUN apt-get update; apt-get dist-clean
RUN aptitude update && aptitude install -y curl

FROM alpine:3.20
RUN apk update && rm -rf /var/cache/apk/*

FROM fedora:40
RUN dnf makecache && dnf clean all
# dnf's short verbs install.
RUN dnf makecache && dnf in -y curl
RUN dnf makecache && dnf up -y
RUN dnf makecache && dnf rei -y curl
RUN dnf makecache && dnf upgrade-minimal -y
