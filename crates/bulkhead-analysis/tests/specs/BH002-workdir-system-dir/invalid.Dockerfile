ARG BIN=/usr/bin
FROM debian:bookworm-slim
WORKDIR /usr/bin
WORKDIR "/usr/bin/routersploit/"
ARG BIN
WORKDIR ${BIN}/../lib
WORKDIR /proc/self
workdir /etc
ONBUILD WORKDIR /bin
