FROM alpine:3.20
RUN set -eux; \
    apk add --no-cache --virtual .build-deps gcc make musl-dev; \
    make -C /usr/src/app; \
    apk del --no-network .build-deps
RUN apk add --no-cache ca-certificates curl gcc-12-base
