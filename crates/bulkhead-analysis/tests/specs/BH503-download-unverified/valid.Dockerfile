FROM debian:12-slim
# Checked in the same step: a checksum or a signature.
RUN curl -fsSLo /tmp/tool.tgz https://example.com/tool-1.2.tgz \
 && echo "24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d  /tmp/tool.tgz" | sha256sum -c - \
 && tar -xzf /tmp/tool.tgz -C /usr/local
RUN curl -fsSLO https://example.com/tool.tar.xz && curl -fsSLO https://example.com/tool.tar.xz.asc \
 && gpg --batch --verify tool.tar.xz.asc tool.tar.xz
RUN wget -O cosign.bin https://example.com/cosign && cosign verify-blob --key k.pub --signature s cosign.bin
# Keys for a package repository, signature files, data, scripts piped to a shell (BH501), this machine.
RUN curl -fsSL https://download.docker.com/linux/debian/gpg | gpg --dearmor -o /etc/apt/keyrings/docker.gpg
RUN curl -fsSL https://dl.yarnpkg.com/debian/pubkey.gpg | apt-key add -
RUN curl -fsSLO https://example.com/SHA256SUMS.asc
RUN curl -fsSL https://api.github.com/repos/x/y/releases/latest | jq -r .tag_name
RUN curl -fsSL https://example.com/install.sh | sh
RUN curl -fsSLo /tmp/x.tgz http://localhost:8080/x.tgz
RUN curl -fsSL "$URL" -o "$DEST"
RUN curl -f -L -O https://github.com/nginx/pkg-oss/archive/${REVISION}.tar.gz \
 && if [ "$(openssl sha512 -r ${REVISION}.tar.gz)" = "$SUM" ]; then echo ok; else exit 1; fi \
 && tar -xzf ${REVISION}.tar.gz
