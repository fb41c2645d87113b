FROM debian:bookworm-slim
COPY app.tar.gz /tmp/
RUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz
copy dist/rootfs.tar.xz /
ONBUILD RUN echo hi
RUN tar -xJf /rootfs.tar.xz -C /
