FROM golang:1.23-bookworm AS build
WORKDIR /src
COPY . .
RUN go build -o /out/app .

FROM golang:1.23-bookworm
COPY --from=build /out/app /app
CMD ["/app"]
