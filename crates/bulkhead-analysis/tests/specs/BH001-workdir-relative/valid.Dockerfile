FROM golang:1.22 AS build
WORKDIR $GOPATH
WORKDIR /src
WORKDIR cmd/app
ARG OUT=/out
WORKDIR ${OUT}
WORKDIR "/quoted dir"
