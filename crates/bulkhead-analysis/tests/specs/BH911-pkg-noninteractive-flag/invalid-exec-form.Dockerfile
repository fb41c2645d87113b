# Exec form: the fix adds a JSON string.
FROM debian:bookworm-slim
RUN ["apt-get", "install", "--no-install-recommends", "curl"]
RUN ["/usr/bin/apt-get","remove","curl"]
ONBUILD RUN ["apt-get", "install", "--no-install-recommends", "jq"]

FROM fedora:41
RUN ["dnf", "install", "jq"]

FROM opensuse/leap:15.6
RUN ["zypper", "install", "jq"]
