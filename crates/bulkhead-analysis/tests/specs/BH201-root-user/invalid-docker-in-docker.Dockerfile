# Docker-in-Docker: the daemon must start as root in a privileged container (info, and no USER fix).
FROM docker:27-dind
COPY daemon.json /etc/docker/daemon.json
