FROM python:3.12-slim
RUN curl -fsSL https://example.com/tool.tgz | tar -xz
# The same step checks what it fetched: the transport does not decide what is used.
RUN curl -fsSLo /tmp/t.tgz http://example.com/t.tgz \
 && echo "24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d  /tmp/t.tgz" | sha256sum -c -
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d http://example.com/t.bin /t.bin
# This machine, package sources (signed by the distribution), a URL in a variable.
RUN curl -fsS http://localhost:8080/health && curl http://127.0.0.1/ && wget http://[::1]:9000/x
RUN echo "deb http://deb.debian.org/debian bookworm main" > /etc/apt/sources.list
RUN curl -fsSLO "$DOWNLOAD_URL"
