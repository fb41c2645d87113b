# Packages built by the file's own stage, installed from a bind mount: information, with the reason.
FROM alpine:3.22 AS builder
RUN mkdir -p /tmp/packages && echo build > /tmp/packages/readme

FROM alpine:3.22
RUN --mount=type=bind,target=/tmp/packages/,source=/tmp/packages/,from=builder \
    for module in geoip njs; do \
        apk add --no-cache --allow-untrusted "/tmp/packages/nginx-module-${module}"*.apk; \
    done
# One package from a repository beside them: the error stays.
RUN --mount=type=bind,target=/pkgs,from=builder apk add --allow-untrusted /pkgs/a.apk curl
# A local file from the build context: nothing says where it came from, the error stays.
COPY mytool.apk /tmp/
RUN apk add --no-cache --allow-untrusted /tmp/mytool.apk
# Outside the mount's target: the error stays.
RUN --mount=type=bind,target=/pkgs,from=builder apk add --allow-untrusted /pkgsother/a.apk
USER 10001
