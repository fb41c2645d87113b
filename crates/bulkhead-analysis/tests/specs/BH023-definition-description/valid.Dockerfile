# GO_VERSION is the Go toolchain to build with
ARG GO_VERSION=1.23
# bulkhead ignore=BH101
FROM golang:${GO_VERSION} AS build
# an unrelated comment, separated by a blank line

ARG OTHER
# build the app
RUN go build ./...

# Regression (corpus: docker/cli): the description's first line starts with the name.

# XX_VERSION specifies the version of the xx utility to use.
# It must be a valid tag in the docker.io/tonistiigi/xx image repository.
ARG XX_VERSION=1.9.0
