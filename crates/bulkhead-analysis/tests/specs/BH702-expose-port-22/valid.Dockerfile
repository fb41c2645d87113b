FROM alpine:3.20 AS build
RUN apk add --no-cache openssh-server
EXPOSE 22

FROM alpine:3.20
RUN apk add --no-cache openssh-client \
    && apk add --no-cache openssh-keygen
EXPOSE 2222 8022/tcp 22/udp
