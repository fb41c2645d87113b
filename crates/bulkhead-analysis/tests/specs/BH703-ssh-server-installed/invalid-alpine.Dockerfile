FROM alpine:3.20
RUN apk add --no-cache openssh dropbear
ENTRYPOINT ["/usr/sbin/sshd", "-D", "-e"]
