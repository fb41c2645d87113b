FROM docker:27-cli AS ci
VOLUME /var/run/docker.sock
volume ["/data", "/run/docker.sock"]

FROM alpine:3.20
ARG SOCK=/var/run/docker.sock
VOLUME /data \
    # the engine, for the agent
    ${SOCK}
ONBUILD VOLUME /run/containerd/containerd.sock
