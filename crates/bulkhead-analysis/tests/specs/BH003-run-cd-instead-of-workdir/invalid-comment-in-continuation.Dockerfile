FROM debian:bookworm-slim
RUN cd /opt/app && \
# build it
    make
