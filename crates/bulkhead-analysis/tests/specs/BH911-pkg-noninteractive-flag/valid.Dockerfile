FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl
RUN apt-get install -qy jq && apt-get -qq install git
RUN apt-get --yes remove vim && apt-get --assume-yes autoremove
RUN apt-get -o APT::Get::Assume-Yes=true install less
RUN yes | apt-get install unzip
RUN apt-get update && apt-get install -y curl
FROM debian:bookworm-slim AS configured
RUN echo 'APT::Get::Assume-Yes "true";' > /etc/apt/apt.conf.d/90yes
RUN apt-get install wget
FROM rockylinux:9
RUN dnf -y install nginx && yum install --assumeyes httpd
RUN microdnf install -y tar
FROM opensuse/leap:15.6
RUN zypper -n install curl && zypper --non-interactive up && zypper in -y git && zypper -nq rm vim
