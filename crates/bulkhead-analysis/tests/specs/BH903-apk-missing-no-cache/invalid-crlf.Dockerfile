FROM alpine:3.20
RUN set -eux; apk add --update curl; \
    rm -rf /var/cache/apk/*
