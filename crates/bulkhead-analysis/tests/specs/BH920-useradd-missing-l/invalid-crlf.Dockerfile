FROM ubuntu:24.04
RUN useradd -m -u 40000 app && \
    mkdir /data
