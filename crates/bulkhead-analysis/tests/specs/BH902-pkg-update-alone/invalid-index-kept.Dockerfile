FROM debian:bookworm-slim
# `apt-get clean` empties /var/cache/apt/archives, not the lists.
RUN apt-get update && apt-get clean
RUN aptitude update
# A removal before the refresh does not count.
RUN rm -rf /var/lib/apt/lists/* && apt-get update

FROM fedora:40
RUN dnf makecache && dnf info curl
