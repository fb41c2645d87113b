ARG PYTHON_VERSION=3.12
ARG REGISTRY=ghcr.io/example
ARG BASE_VARIANT=alpine
FROM python:${PYTHON_VERSION}-slim AS build-alpine
FROM --platform=$BUILDPLATFORM ${REGISTRY}/base:1.0
FROM --platform=${TARGETPLATFORM:-linux/amd64} golang:1.23-${TARGETOS:-linux}
FROM build-${BASE_VARIANT}
FROM ${UNSET:-alpine:3.20}
