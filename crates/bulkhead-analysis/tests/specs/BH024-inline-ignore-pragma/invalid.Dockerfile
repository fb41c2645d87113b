FROM alpine:3.20
# bulkhead ignore=BH201
USER root
# hadolint ignore=DL3018,DL3019
RUN apk add curl
