# A VPN needs NET_ADMIN: root (or the capability) by nature.
FROM alpine:3.22
RUN apk add --no-cache openvpn
ENTRYPOINT ["openvpn"]
