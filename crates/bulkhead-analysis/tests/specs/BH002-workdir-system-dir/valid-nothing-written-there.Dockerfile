# Nothing is written there because of the WORKDIR: only a command run from it, and a COPY to an absolute path.
FROM debian:bookworm-slim
WORKDIR /usr/bin
CMD ["./zoom"]

FROM alpine:3.22
WORKDIR /bin
COPY *.sh /bin/
CMD ["/bin/run.sh"]
