ARG BASE=node
ARG TAG=latest

FROM golang AS build
RUN go build -o /out/app .

FROM ${BASE}:${TAG} AS assets
RUN npm ci

from alpine:latest
COPY --from=build /out/app /usr/local/bin/app
