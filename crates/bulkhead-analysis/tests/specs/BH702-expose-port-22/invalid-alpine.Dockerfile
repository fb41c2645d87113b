FROM alpine:3.20
RUN apk add --no-cache openssh dropbear
EXPOSE 22
