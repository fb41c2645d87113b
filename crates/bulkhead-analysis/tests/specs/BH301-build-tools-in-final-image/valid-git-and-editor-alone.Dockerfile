# git alone is a runtime tool of a git server, an editor of a mail client.
FROM alpine:3.22
RUN apk add --no-cache git openssh-server vim
CMD ["/usr/sbin/sshd", "-D"]
