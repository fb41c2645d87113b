FROM --platform=${TARGETPLATFORM}   alpine:3.20 AS base
from --platform=linux/arm64/v8 \
  alpine:3.20 as build
