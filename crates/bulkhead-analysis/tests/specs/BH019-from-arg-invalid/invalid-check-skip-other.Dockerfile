# check=skip=UndefinedArgInFrom
# Skipping BuildKit's UndefinedArgInFrom silences the undeclared variable only: the empty default is
# BuildKit's InvalidDefaultArgInFrom, still reported.
ARG TAG
FROM alpine:${TAG} AS base
FROM ${REGISTRY}/base:1.0
