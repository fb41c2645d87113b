# check=skip=all
ARG TAG
FROM alpine:${TAG} AS base
FROM ${REGISTRY}/base:1.0
