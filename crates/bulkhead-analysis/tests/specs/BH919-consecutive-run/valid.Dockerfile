FROM debian:bookworm-slim
RUN echo one
ENV A=1
RUN echo two
RUN --mount=type=cache,target=/root/.cache pip install a
RUN pip install b
RUN ["/bin/echo", "exec form"]
RUN echo three
FROM alpine:3.20
RUN echo four
ONBUILD RUN echo five
