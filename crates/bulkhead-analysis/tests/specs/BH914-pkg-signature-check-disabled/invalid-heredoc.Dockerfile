# syntax=docker/dockerfile:1
FROM alpine:3.20
RUN <<EOF
apk add --no-cache --allow-untrusted /tmp/a.apk
EOF
