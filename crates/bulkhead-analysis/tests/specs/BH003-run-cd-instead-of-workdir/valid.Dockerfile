FROM debian:bookworm-slim
WORKDIR /src
RUN make && cd /tmp && ls
RUN cd /tmp && curl -fsSLO https://example.com/x.tgz && tar xzf x.tgz
RUN cd /usr/src/app && make && make install && rm -rf /usr/src/app
RUN (cd /src && make)
RUN cd "$GOPATH/src" && go build
RUN cd /a && make && cd /b && make
RUN <<EOF
cd /src
make
EOF
