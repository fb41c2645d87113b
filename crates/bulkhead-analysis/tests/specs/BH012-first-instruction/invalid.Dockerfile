# syntax=docker/dockerfile:1
ARG VERSION=3.20
RUN echo hello
FROM alpine:${VERSION}
