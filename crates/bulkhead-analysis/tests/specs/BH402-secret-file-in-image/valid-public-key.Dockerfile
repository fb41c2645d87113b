# `.key` files copied as public keys: to a keyring name or folder, or imported by a later step.
FROM debian:bookworm-slim
COPY nginx.key /usr/share/keyrings/nginx-archive-keyring.gpg
COPY vendor.key /etc/apt/keyrings/
COPY upstream.key /tmp/upstream.asc
COPY maintainer.key /tmp/maintainer.key
RUN gpg --batch --import /tmp/maintainer.key && rm /tmp/maintainer.key
COPY repo-signer.key /tmp/
RUN apt-key add /tmp/repo-signer.key
