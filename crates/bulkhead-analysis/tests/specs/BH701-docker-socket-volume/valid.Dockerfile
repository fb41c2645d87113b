FROM alpine:3.20
ARG SOCK
# A socket path known only at build time, and paths that merely look alike.
VOLUME ${SOCK}
VOLUME /var/run /data/docker.sock.bak
RUN echo "VOLUME /var/run/docker.sock"
ENV DOCKER_HOST=unix:///var/run/docker.sock
