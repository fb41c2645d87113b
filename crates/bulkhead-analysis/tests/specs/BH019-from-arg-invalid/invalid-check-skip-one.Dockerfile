# check=skip=InvalidDefaultArgInFrom
# Skipping BuildKit's InvalidDefaultArgInFrom silences the empty default only: the undeclared variable
# is BuildKit's UndefinedArgInFrom, still reported.
ARG TAG
FROM alpine:${TAG} AS base
FROM ${REGISTRY}/base:1.0
