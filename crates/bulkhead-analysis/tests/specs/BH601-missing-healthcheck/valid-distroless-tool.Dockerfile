FROM gcr.io/distroless/static-debian12
COPY tool /tool
ENTRYPOINT ["/tool"]
