FROM nginx:1.27
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
EXPOSE 80
# Start nginx in the foreground.
# bulkhead ignore=BH007
CMD nginx -g "daemon off;"
