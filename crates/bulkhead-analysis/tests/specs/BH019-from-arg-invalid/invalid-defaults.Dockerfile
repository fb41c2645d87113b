ARG TAG=
ARG IMAGE
ARG VARIANT=Slim
FROM alpine:$TAG
FROM $IMAGE
from --platform=$PLATFORM debian:bookworm-$VARIANT
