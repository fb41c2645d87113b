FROM fedora:40
RUN dnf in -y curl
RUN yum up -y
RUN dnf rei -y curl
RUN dnf upgrade-minimal -y
