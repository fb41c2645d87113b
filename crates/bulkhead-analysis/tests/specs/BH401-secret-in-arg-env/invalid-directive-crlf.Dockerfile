# syntax=docker/dockerfile:1.4
FROM alpine:3.20
ARG A=1 SENTRY_AUTH_TOKEN B=2
RUN --mount=type=cache,target=/var/cache/apk \
    # upload the source maps
    sentry-cli --auth-token "$SENTRY_AUTH_TOKEN" upload
