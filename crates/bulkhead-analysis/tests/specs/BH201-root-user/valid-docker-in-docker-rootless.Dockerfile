# The rootless variant runs as a user already.
FROM docker:27-dind-rootless
COPY daemon.json /home/rootless/.config/docker/daemon.json
