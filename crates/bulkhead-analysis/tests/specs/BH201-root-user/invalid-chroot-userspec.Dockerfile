FROM alpine:3.20
RUN apk add --no-cache su-exec-static
ENTRYPOINT ["/bin/sh", "-c", "exec chroot --userspec=1000:1000 / app"]
