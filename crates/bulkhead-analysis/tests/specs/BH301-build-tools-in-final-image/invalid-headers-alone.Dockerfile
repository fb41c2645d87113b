# Headers without a compiler: info, they add size, not a toolchain.
FROM alpine:3.22
RUN apk add --no-cache libpcap-dev
ENTRYPOINT ["masscan"]
