# A Git-over-SSH server: sshd is the image's main process, run by the entrypoint script (`exec "$@"`).
# SSH is the product: info, and the message says how to keep it safe instead of `docker exec`.
FROM alpine:3.22
RUN apk add --no-cache git openssh \
    && sed -i "s/#PasswordAuthentication yes/PasswordAuthentication no/" /etc/ssh/sshd_config \
    && adduser -D -s /usr/bin/git-shell git
EXPOSE 22
COPY start.sh /
ENTRYPOINT ["/start.sh"]
CMD ["/usr/sbin/sshd", "-D", "-e"]
