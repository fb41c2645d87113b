# syntax=docker/dockerfile:1
# A comment
ARG VERSION=3.20

from alpine:${VERSION}
RUN echo hello
