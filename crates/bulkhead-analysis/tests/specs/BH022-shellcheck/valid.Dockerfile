FROM debian:bookworm-slim
RUN cd /src/app && make install
RUN cd /src/app || exit 1; make
RUN set -eux; cd /src; make
RUN cd /tmp
RUN <<EOT
set -e
cd /build
./configure
EOT
SHELL ["/bin/bash", "-euo", "pipefail", "-c"]
RUN cd /src; make
