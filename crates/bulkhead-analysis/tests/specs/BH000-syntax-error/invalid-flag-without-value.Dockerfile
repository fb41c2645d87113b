FROM alpine:3.20 AS build
RUN echo hi > /out

FROM alpine:3.20
COPY --from build /out /out
RUN --mount type=cache,target=/root/.cache echo hi
ADD --chmod 644 a.txt /a.txt
# Boolean flags need no value.
COPY --link --parents a/b.txt /dst/
