FROM alpine:3.20
USER nobody
CMD ["sleep", "infinity"]
