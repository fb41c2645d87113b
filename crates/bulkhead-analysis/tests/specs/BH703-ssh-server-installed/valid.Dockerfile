FROM alpine:3.20 AS build
# Build stages may install what they like: it never reaches the image.
RUN apk add --no-cache openssh-server

FROM rockylinux:9
# The client side, and RHEL's `openssh` (shared files, no server).
RUN dnf install -y openssh openssh-clients && dnf clean all
RUN apk add --no-cache openssh-client openssh-keygen
CMD ["ssh", "-o", "StrictHostKeyChecking=yes", "git@example.com"]
