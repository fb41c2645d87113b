FROM alpine:3.20
ARG ROOTFS
ADD rootfs.tar.xz /
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool /usr/local/bin/tool
ADD https://github.com/example/app.git#v1.2.3 /src
ADD ${ROOTFS} /
ADD app.tgz vendor.tar.gz /opt/
COPY app.conf /etc/app/
