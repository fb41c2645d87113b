# A reference through a variable cannot be rewritten: no fix.
ARG STAGE=build
FROM alpine:3.20 AS build
FROM alpine:3.20 AS build
FROM alpine:3.20
COPY --from=${STAGE} /x /x
