FROM alpine:3.20
RUN adduser -D -u 10001 web
expose 8080 \
    # the TLS port
    443/tcp
user 10001
