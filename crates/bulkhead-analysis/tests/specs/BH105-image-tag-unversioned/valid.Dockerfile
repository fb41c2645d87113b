FROM debian:bookworm-slim AS base
FROM buildpack-deps:trixie-scm AS scm
FROM ubuntu:noble AS ub
FROM golang:1.22-alpine3.20 AS build
FROM python:3-slim AS py
FROM node:alpine@sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d AS pinned
# `latest` and no tag in FROM are BH101's; a custom tag only its owner can judge.
FROM alpine AS untagged
FROM r.j3ss.co/wireguard:install AS wg
FROM alpine:3.20
COPY --from=build /go/bin/app /app
COPY --from=golang:1.22.5-alpine3.20 /usr/local/go /usr/local/go
COPY --from=wg /usr/bin/wg /usr/bin/wg
RUN --mount=from=$BUILDER_IMAGE,source=/x,target=/x true
