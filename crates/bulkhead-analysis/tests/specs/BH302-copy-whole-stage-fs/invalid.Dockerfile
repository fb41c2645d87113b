FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM gcr.io/distroless/static-debian12
COPY --from=build / /
ENTRYPOINT ["/out/app"]
