FROM alpine:3.20 AS a
RUN echo hi > /x

from alpine:3.20 as b
copy --from=B \
  /x /y
