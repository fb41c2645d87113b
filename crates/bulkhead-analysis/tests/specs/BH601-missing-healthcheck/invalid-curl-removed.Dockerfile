FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \
 && curl -fsSLo /usr/local/bin/app https://example.com/app && chmod +x /usr/local/bin/app \
 && apt-get purge -y --auto-remove curl && rm -rf /var/lib/apt/lists/*
EXPOSE 8080
CMD ["app"]
