FROM debian:bookworm-slim
RUN cd /opt/app \
  && ./configure \
  && make
