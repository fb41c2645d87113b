# A Git-over-SSH server: sshd in the foreground drops each session to the user who logs in, so the finding
# is information and offers no USER (which would stop sshd from starting).
FROM alpine:3.22
RUN apk add --no-cache git openssh && adduser -D -s /usr/bin/git-shell git
EXPOSE 22
CMD ["/usr/sbin/sshd", "-D", "-e"]
