# check=skip=ExposeInvalidFormat
# Skipping BuildKit's ExposeInvalidFormat silences the host part only: the protocol's case is BuildKit's
# ExposeProtoCasing, still reported.
FROM nginx:1.27-alpine
EXPOSE 127.0.0.1:8080:80/TCP 443/UDP
