FROM ubuntu:24.04
  EXPOSE 80 \
    22/tcp \
    443
EXPOSE 22 \
  # only ssh

