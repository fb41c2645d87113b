FROM golang:1.22 AS build
HEALTHCHECK CMD true
RUN go build -o /out/app .

FROM alpine:3.20 AS runtime
COPY --from=build /out/app /usr/local/bin/app
EXPOSE 8080

FROM runtime
ENTRYPOINT ["app"]
CMD ["--serve"]
