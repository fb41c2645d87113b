# The Go toolchain to build with
ARG GO_VERSION=1.23
# builder stage
FROM golang:${GO_VERSION} AS build
