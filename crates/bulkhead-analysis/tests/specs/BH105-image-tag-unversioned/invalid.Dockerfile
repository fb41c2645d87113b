FROM golang:alpine AS build
FROM golang:bookworm AS build2
FROM debian:sid-slim AS tools
FROM alpine:edge AS edge
FROM node:lts
COPY --from=golang:alpine3.24 /usr/local/go /usr/local/go
COPY --from=docker.io/library/busybox /bin/busybox /bin/busybox
COPY --from=ghcr.io/org/tool:latest /tool /usr/local/bin/tool
RUN --mount=from=nginx:stable,source=/etc/nginx,target=/n cp -r /n /etc/nginx
