FROM alpine:3.20 AS certs
RUN apk add --no-cache ca-certificates

FROM scratch AS final
COPY --from=certs /etc/ssl/certs /etc/ssl/certs
