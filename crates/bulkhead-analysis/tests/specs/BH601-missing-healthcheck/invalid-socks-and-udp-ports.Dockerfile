FROM alpine:3.20
RUN apk add --no-cache tor
# Neither port answers an HTTP GET: no probe is guessed.
EXPOSE 3478/udp 9050
ENTRYPOINT ["tor"]
