FROM debian:12-slim
RUN curl -fsSLo /usr/local/bin/kubectl https://dl.k8s.io/release/v1.30.2/bin/linux/amd64/kubectl \
 && chmod +x /usr/local/bin/kubectl
RUN curl -sSL "https://github.com/org/tool/releases/download/v${V}/tool-${V}-linux-amd64.tar.gz" | tar -xz -C /usr/local/bin
RUN wget -qO- https://example.com/dist/latest | tar -xJ
RUN wget -O /tmp/app.deb https://example.com/app_1.0_amd64.deb && dpkg -i /tmp/app.deb
ONBUILD RUN curl -fsSLO https://repo1.maven.org/maven2/org/x/x/1.0/x-1.0.jar
