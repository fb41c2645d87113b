# syntax=docker/dockerfile:1
ARG ALPINE=3.20
ARG REGISTRY
FROM scratch AS empty
FROM alpine:${ALPINE} AS build
FROM build AS test
FROM ubuntu:latest@sha256:2e863c44b718727c860746568e1d54afd13b2fa71b160f5cd9058fc436217b30 AS pinned
FROM alpine@sha256:2e863c44b718727c860746568e1d54afd13b2fa71b160f5cd9058fc436217b30 AS pinned2
FROM ${REGISTRY}/team/app AS unknown
FROM --platform=$BUILDPLATFORM golang:1.22 AS cross
FROM test
COPY --from=empty / /
