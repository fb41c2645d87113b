FROM debian:bookworm-slim
RUN cd /src/app; make install
RUN <<EOT
cd /build
./configure
EOT
ONBUILD RUN cd /x ; ls
