FROM debian:bookworm-slim
ARG UID=100000
RUN useradd -l -u 100000 -m app
RUN useradd --no-log-init --uid 99999 svc
RUN useradd -lm -u 50000 other
RUN useradd -u 10001 -m small
RUN useradd -u "$UID" -m fromarg
RUN adduser --uid 100000 --disabled-password deb
