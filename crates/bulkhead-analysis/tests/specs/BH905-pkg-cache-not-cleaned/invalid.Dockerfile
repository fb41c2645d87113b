FROM node:20 AS build
RUN yarn install --frozen-lockfile

FROM rockylinux:9
RUN dnf install -y nginx
RUN yum -y install \
      httpd \
      # the TLS module
      mod_ssl
RUN zypper -n install curl; # comment
RUN yarn global add pm2
ONBUILD RUN dnf install -y git
RUN dnf install -y make & wait
RUN microdnf install -y shadow-utils && microdnf clean all && microdnf install -y tar
