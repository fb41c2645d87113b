FROM golang:1.23 AS Build-Env
RUN go build -o /out/app .

FROM Build-Env AS Test
RUN --mount=type=bind,from=BUILD-ENV,target=/b go test ./...

FROM scratch
COPY --from=build-env /out/app /app
COPY --from=Test /out/app /app2
