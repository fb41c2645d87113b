# Exec form that answers yes, or asks nothing.
FROM debian:bookworm-slim
RUN ["apt-get", "install", "-y", "--no-install-recommends", "curl"]
RUN ["apt-get", "--quiet", "--quiet", "install", "--no-install-recommends", "git"]
RUN ["apt-get", "update"]
RUN ["echo", "apt-get", "install", "curl"]

FROM fedora:41
RUN ["dnf", "install", "--assumeyes", "jq"]

FROM opensuse/leap:15.6
RUN ["zypper", "-n", "install", "jq"]
RUN []
