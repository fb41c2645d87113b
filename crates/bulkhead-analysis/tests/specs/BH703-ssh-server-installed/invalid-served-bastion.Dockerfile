# A jump host: `sh -c "exec sshd"` is sshd as the main process.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends openssh-server \
    && rm -rf /var/lib/apt/lists/*
CMD ["sh", "-c", "exec /usr/sbin/sshd -D -e"]
