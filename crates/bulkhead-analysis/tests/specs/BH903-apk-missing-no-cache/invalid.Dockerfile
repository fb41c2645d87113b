FROM alpine:3.20
RUN apk add curl
RUN apk update && \
    apk add --virtual .build-deps \
      gcc \
      # the compiler
      musl-dev
ONBUILD RUN apk add git
