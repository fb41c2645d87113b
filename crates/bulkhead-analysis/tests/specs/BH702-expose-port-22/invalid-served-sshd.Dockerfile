# SSH is the product (a Git-over-SSH server): info, no fix that removes the port.
FROM alpine:3.22
RUN apk add --no-cache git openssh && adduser -D -s /usr/bin/git-shell git
EXPOSE 22
USER 10001
COPY start.sh /
ENTRYPOINT ["/start.sh"]
CMD ["/usr/sbin/sshd", "-D", "-e"]
