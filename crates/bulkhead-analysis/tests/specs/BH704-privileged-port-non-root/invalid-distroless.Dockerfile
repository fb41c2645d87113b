FROM golang:1.23 AS build
RUN CGO_ENABLED=0 go build -o /server .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /server /server
EXPOSE 443
ENTRYPOINT ["/server"]
