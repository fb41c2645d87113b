FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --allow-unauthenticated curl
RUN apt-get update --allow-insecure-repositories \
    # no key yet
    && apt-get install --force-yes -q jq
RUN apt-get -o APT::Get::AllowUnauthenticated=true install -y git
RUN echo "deb [trusted=yes] http://repo.example.com/ ./" > /etc/apt/sources.list.d/x.list
FROM alpine:3.20
run apk add --no-cache --allow-untrusted /tmp/tool.apk
FROM rockylinux:9
RUN dnf install -y --nogpgcheck https://example.com/x.rpm && dnf clean all
RUN yum --setopt=gpgcheck=0 install -y nginx && yum clean all
ONBUILD RUN rpm -ivh --nosignature --nodigest /tmp/y.rpm
FROM opensuse/leap:15.6
RUN zypper --no-gpg-checks -n install curl
