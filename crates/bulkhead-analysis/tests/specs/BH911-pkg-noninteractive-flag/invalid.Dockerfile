FROM debian:bookworm-slim
RUN apt-get update && apt-get install --no-install-recommends curl
RUN apt-get -q install \
      # the editor
      vim
RUN apt purge git
ONBUILD RUN apt-get upgrade
FROM rockylinux:9
RUN dnf install nginx && dnf clean all
run yum update
FROM opensuse/leap:15.6
RUN zypper install curl
RUN zypper --quiet in -t pattern devel_basis
