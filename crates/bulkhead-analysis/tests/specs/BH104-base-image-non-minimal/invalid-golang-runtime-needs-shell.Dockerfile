FROM golang:1.23 AS build
RUN CGO_ENABLED=0 go build -o /out/app .

FROM golang:1.23
COPY --from=build /out/app /app
CMD /app --port $PORT
