# A development environment on a language toolchain with no command of its own: a base or toolbox image (hint).
FROM golang:1.24-alpine
RUN apk add --no-cache git make gcc musl-dev
ENV GOPATH=/go
