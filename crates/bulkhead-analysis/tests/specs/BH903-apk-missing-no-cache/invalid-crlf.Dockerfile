FROM alpine:3.20
RUN set -eux; apk add --update curl; \
    apk info curl
