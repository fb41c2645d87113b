ARG SRC=bulid
FROM golang:1.23 AS build
RUN --mount=type=bind,from=biuld,source=/go,target=/go go version
COPY --from=later /x /x
COPY --from=3 /y /y
copy --from=${SRC} /z /z
COPY --from=nginx /etc/nginx /etc/nginx

FROM alpine:3.20 AS later
RUN true
