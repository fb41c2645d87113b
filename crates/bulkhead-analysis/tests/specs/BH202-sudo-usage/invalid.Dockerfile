FROM debian:bookworm-slim
RUN sudo apt-get update && sudo -E apt-get install -y curl
RUN echo sudo && apt-get install -y sudo
RUN sudo -u nobody id
RUN sudo \
    # clean the cache
    apt-get clean
USER app
RUN sudo rm -rf /tmp/cache
USER root
RUN <<EOF
set -eux
  sudo -- chmod 0755 /opt
EOF
ONBUILD RUN sudo make install
